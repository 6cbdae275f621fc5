"""Writes the multi-band layout of `npm run bench` from its per-band files: one 8-band GeoTIFF on
the 10 m grid (B02 B03 B04 B05 B06 B08 B11 SCL; 20 m bands repeated 2 x 2 by nearest neighbour),
pixel-interleaved (PlanarConfiguration 1, what gdal_translate and gdal_merge.py write by
default), 512 x 512 tiles, deflate, with band descriptions naming the bands, nodata 0, each band's
scale and offset, and the scene's metadata. Usage: python3 make-interleaved.py FOLDER OUT.tif
"""
import sys
from osgeo import gdal

gdal.UseExceptions()
folder, out = sys.argv[1], sys.argv[2]
bands = ["B02", "B03", "B04", "B05", "B06", "B08", "B11", "SCL"]
paths = [f"{folder}/{band}.tif" for band in bands]
vrt_path = out + ".vrt"
options = gdal.BuildVRTOptions(separate=True, resolution="user", xRes=10, yRes=10, resampleAlg="nearest", srcNodata=0, VRTNodata=0)
vrt = gdal.BuildVRT(vrt_path, paths, options=options)
sources = [gdal.Open(path) for path in paths]
vrt.SetMetadata(sources[0].GetMetadata())
for i, (band, source) in enumerate(zip(bands, sources), start=1):
    target = vrt.GetRasterBand(i)
    target.SetDescription(band)
    target.SetScale(source.GetRasterBand(1).GetScale() or 1)
    target.SetOffset(source.GetRasterBand(1).GetOffset() or 0)
vrt.FlushCache()
vrt = None
gdal.Translate(out, vrt_path, format="GTiff", creationOptions=["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "ZLEVEL=1", "INTERLEAVE=PIXEL", "NUM_THREADS=ALL_CPUS", "BIGTIFF=IF_SAFER"])
gdal.Unlink(vrt_path)
