import { type ApiClient, ApiError } from './api.js';
import { MESSAGES } from './messages.js';

/** `POST /api/uploads` answer (core/api/routes/service.ts). */
interface UploadGrant {
  key: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt?: string };
}

/** Called as bytes go out: sent and total bytes. */
export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

/**
 * PUTs `body` to a presigned URL with XMLHttpRequest (fetch reports no upload progress). An
 * error answer becomes an `ApiError` in the store's or the API's words.
 */
function put(grant: UploadGrant, body: Blob, onProgress: UploadProgress, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(grant.upload.method, grant.upload.url);
    for (const [name, value] of Object.entries(grant.upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.lengthComputable ? event.total : body.size));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = MESSAGES.uploadRefused(xhr.status);
      let code = 'UPLOAD_FAILED';
      try {
        const parsed = JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string } };
        if (parsed.error?.message) [message, code] = [parsed.error.message, parsed.error.code ?? code];
      } catch {
        // S3, GCS and Azure answer XML; the status says enough
      }
      reject(new ApiError(xhr.status, code, message));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'UPLOAD_UNREACHABLE', MESSAGES.uploadUnreachable)));
    xhr.addEventListener('abort', () => reject(new DOMException('upload cancelled', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/**
 * Uploads a GeoTIFF the way the API asks: a presigned URL from `POST /api/uploads`, then a PUT of
 * the bytes straight to it. Resolves with the store key to analyse.
 *
 * @example
 * ```ts
 * const key = await uploadImage(api, file, (sent, total) => bar.value = (100 * sent) / total);
 * await api.json('POST', 'api/analyses', { body: { source: { key } } });
 * ```
 */
export async function uploadImage(api: ApiClient, file: File, onProgress: UploadProgress, signal?: AbortSignal): Promise<string> {
  const { body: grant } = await api.json<UploadGrant>('POST', 'api/uploads', { body: { filename: file.name, contentType: 'image/tiff' }, signal });
  onProgress(0, file.size);
  await put(grant, file, onProgress, signal);
  onProgress(file.size, file.size);
  return grant.key;
}
