/**
 * Sentinel-2 MSI bands the analysis knows, with centre wavelengths and native resolution.
 * Wavelengths are the nominal centres used by the FAI formula of Mora-Soto et al. (2020),
 * Remote Sensing 12(4):694 (B04 665 nm, B08 833 nm, B11 1612 nm); the others are the ESA
 * Sentinel-2 MSI User Guide centres for S2A.
 */
export const BAND_TABLE = {
  B01: { wavelengthNm: 443, resolutionM: 60 },
  B02: { wavelengthNm: 490, resolutionM: 10 },
  B03: { wavelengthNm: 560, resolutionM: 10 },
  B04: { wavelengthNm: 665, resolutionM: 10 },
  B05: { wavelengthNm: 705, resolutionM: 20 },
  B06: { wavelengthNm: 740, resolutionM: 20 },
  B07: { wavelengthNm: 783, resolutionM: 20 },
  B08: { wavelengthNm: 833, resolutionM: 10 },
  B8A: { wavelengthNm: 865, resolutionM: 20 },
  B09: { wavelengthNm: 945, resolutionM: 60 },
  B11: { wavelengthNm: 1612, resolutionM: 20 },
  B12: { wavelengthNm: 2190, resolutionM: 20 },
  /** Scene Classification Layer of L2A (class codes, not reflectance). */
  SCL: { wavelengthNm: 0, resolutionM: 20 },
} as const;

/** A band name as the analysis uses it (`B02`…`B12`, `B8A`, `SCL`). */
export type BandName = keyof typeof BAND_TABLE;

/** Every known band name, in table order. */
export const BAND_NAMES = Object.keys(BAND_TABLE) as BandName[];

/** Reflectance bands (everything but SCL). */
export type ReflectanceBand = Exclude<BandName, 'SCL'>;

/**
 * Other names for the same bands: Earth Search STAC asset keys, and spellings GDAL or users write.
 * Looked up case-insensitively.
 */
export const BAND_ALIASES: Record<string, BandName> = {
  coastal: 'B01',
  blue: 'B02',
  green: 'B03',
  red: 'B04',
  rededge1: 'B05',
  rededge2: 'B06',
  rededge3: 'B07',
  nir: 'B08',
  nir08: 'B8A',
  nir09: 'B09',
  swir16: 'B11',
  swir22: 'B12',
  scl: 'SCL',
  b1: 'B01',
  b2: 'B02',
  b3: 'B03',
  b4: 'B04',
  b5: 'B05',
  b6: 'B06',
  b7: 'B07',
  b8: 'B08',
  b8a: 'B8A',
  b9: 'B09',
  b11: 'B11',
  b12: 'B12',
};

/** The canonical band name for `name`, or undefined when it is not a band we know. */
export function normalizeBandName(name: string): BandName | undefined {
  const trimmed = name.trim();
  const upper = trimmed.toUpperCase();
  if (upper in BAND_TABLE) return upper as BandName;
  return BAND_ALIASES[trimmed.toLowerCase()];
}

/**
 * L2A Scene Classification Layer classes (ESA Sentinel-2 L2A Product Definition).
 * 0 no data, 1 saturated or defective, 2 dark area / topographic shadow, 3 cloud shadow,
 * 4 vegetation, 5 not vegetated, 6 water, 7 unclassified, 8 cloud medium probability,
 * 9 cloud high probability, 10 thin cirrus, 11 snow or ice.
 */
export const SCL = {
  noData: 0,
  saturated: 1,
  darkArea: 2,
  cloudShadow: 3,
  vegetation: 4,
  notVegetated: 5,
  water: 6,
  unclassified: 7,
  cloudMedium: 8,
  cloudHigh: 9,
  thinCirrus: 10,
  snow: 11,
} as const;
