/**
 * The one interface the analysis reads band files through, whatever their format (GeoTIFF,
 * JPEG 2000; Landsat's GeoTIFFs next): what the file is, and its rows as decoded blocks. What a
 * sensor's product says about a file (its metadata) comes beside it as {@link BandFileFacts}.
 */
import type { ColumnRange, RowBlock } from './band-file.js';
import type { GeoTransform } from './grid.js';
import type { TiffInfo } from './open-tiff.js';

/** What the stack needs to know of a band file (a GeoTIFF's `TiffInfo` is one). */
export type BandFileInfo = Pick<
  TiffInfo,
  'name' | 'width' | 'height' | 'samples' | 'sampleFormat' | 'bitsPerSample' | 'blockHeight' | 'grid' | 'descriptions' | 'scales' | 'offsets' | 'nodata' | 'metadata'
> & {
  /** True for JPEG 2000: decoding it needs a `Jpeg2000Decoder` (which not every function carries). */
  jpeg2000?: boolean;
};

/** A band file opened for reading rows (a GeoTIFF's `BandFileReader`, a JPEG 2000 band, …). */
export interface BandReader {
  readonly info: BandFileInfo;
  /** Native rows `[y0, y1)` over `columns` (default: full width), as decoded blocks per sample. */
  readRows(y0: number, y1: number, signal?: AbortSignal, columns?: ColumnRange): Promise<RowBlock>;
}

/**
 * What a product's metadata says about one of its band files, as plain data (it travels to
 * worker threads with the task): metadata items the file itself may lack (BOA_ADD_OFFSET,
 * PROCESSING_BASELINE), and where its pixels are.
 */
export interface BandFileFacts {
  metadata?: Record<string, string>;
  georeference?: { epsg: number; transform: GeoTransform };
}
