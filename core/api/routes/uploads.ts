import { DependencyUnavailableError, InvalidRequestError } from '../../errors.js';
import { readJsonBody, z } from '../body.js';
import { json } from '../json.js';
import type { ApiDeps, ApiResponse, RouteContext } from '../types.js';

/** How long a presigned upload URL stays valid. */
const UPLOAD_URL_TTL_S = 15 * 60;

const uploadSchema = z
  .object({
    filename: z.string().min(1).max(200),
    contentType: z.enum(['image/tiff', 'image/geotiff', 'application/zip', 'application/x-zip-compressed', 'application/octet-stream']).default('image/tiff'),
  })
  .strict();

/**
 * `uploads/<random>-<safe name>.<tif|tiff|zip>`: unguessable, never anything a path could escape
 * with, and ending in the extension the upload trigger analyses (a name that is only `.tif`
 * becomes `image.tif`).
 */
export function uploadKey(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const extension = /\.(tiff?|zip)$/i.exec(base)?.[1].toLowerCase();
  if (!extension) throw new InvalidRequestError(`"${base.slice(0, 64)}" is not a .tif, .tiff or .zip file; upload a multi-band GeoTIFF or a zipped Sentinel-2 .SAFE`);
  const stem = base.slice(0, -extension.length - 1).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(-95) || 'image';
  const safe = `${stem}.${extension}`;
  const random = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `uploads/${random}-${safe}`;
}

/**
 * `POST /api/uploads`: a presigned upload URL (one PUT, so at most 5 GB on S3; a zipped .SAFE is
 * about 1 GB) for a new image under `uploads/`: a GeoTIFF or a zipped .SAFE. Its own module,
 * loaded on the first upload request: the body schema (zod) is not built at a cold start.
 */
export async function createUpload({ request }: RouteContext, deps: ApiDeps): Promise<ApiResponse> {
  const { filename, contentType } = readJsonBody(request, uploadSchema);
  if (!deps.uploadSigner) throw new DependencyUnavailableError('uploads are not configured on this deployment');
  const key = uploadKey(filename);
  const upload = await deps.uploadSigner.presignPut(key, { contentType, expiresInS: UPLOAD_URL_TTL_S, signal: request.signal });
  return json(201, { key, upload, analyze: { method: 'POST', path: '/api/analyses', body: { source: { key } } } });
}
