import { z } from 'zod';

/** A STAC link; `next` links of POST searches carry a method and body (STAC API, "Item Search"). */
const stacLinkSchema = z.looseObject({
  rel: z.string(),
  href: z.string(),
  method: z.string().optional(),
  body: z.record(z.string(), z.unknown()).optional(),
  merge: z.boolean().optional(),
});

const assetSchema = z.looseObject({
  href: z.string().min(1),
  type: z.string().optional(),
  roles: z.array(z.string()).optional(),
  'raster:bands': z.array(z.looseObject({ scale: z.number().optional(), offset: z.number().optional(), nodata: z.number().optional() })).optional(),
});

/** A STAC item, checked only for what the analysis reads. */
const stacItemSchema = z.looseObject({
  id: z.string().min(1),
  collection: z.string().optional(),
  bbox: z.array(z.number()).min(4).optional(),
  geometry: z.looseObject({ type: z.string(), coordinates: z.unknown() }).nullable().optional(),
  properties: z.looseObject({
    datetime: z.string().nullable(),
    'eo:cloud_cover': z.number().optional(),
    's2:processing_baseline': z.string().optional(),
  }),
  assets: z.record(z.string(), assetSchema),
});

/** A search response: a GeoJSON FeatureCollection of items, with links. */
export const itemCollectionSchema = z.looseObject({
  features: z.array(stacItemSchema),
  links: z.array(stacLinkSchema).optional(),
});

export type StacLink = z.infer<typeof stacLinkSchema>;
