import type { Bucket, GetSignedUrlConfig } from '@google-cloud/storage';
import { describe, expect, it, vi } from 'vitest';
import { GcsUploadSigner } from '../../../../adapters/gcp/gcs-client.js';
import { DeadlineExceededError, DependencyUnavailableError, InvalidRequestError } from '../../../../core/errors.js';

const NOW = Date.parse('2024-08-01T00:00:00Z');

/** A stand-in for a `Bucket` whose files sign with `sign` (real signing needs service-account credentials). */
function stubBucket(sign: (name: string, config: GetSignedUrlConfig) => Promise<[string]>) {
  const getSignedUrl = vi.fn(sign);
  const file = vi.fn((name: string) => ({ getSignedUrl: (config: GetSignedUrlConfig) => getSignedUrl(name, config) }));
  return { bucket: { file } as unknown as Bucket, file, getSignedUrl };
}

const signed = async (name: string): Promise<[string]> => [`https://storage.googleapis.com/imagery/${encodeURIComponent(name)}?X-Goog-Signature=abc`];

describe('GcsUploadSigner', () => {
  it('asks for a v4 signed URL to create that object (generation 0) with the content type, expiring after expiresInS', async () => {
    const { bucket, file, getSignedUrl } = stubBucket(signed);
    await new GcsUploadSigner({ bucket, now: () => NOW }).presignPut('uploads/a b+é.tif', { contentType: 'image/tiff', expiresInS: 900 });
    expect(file).toHaveBeenCalledWith('uploads/a b+é.tif');
    expect(getSignedUrl).toHaveBeenCalledWith('uploads/a b+é.tif', { version: 'v4', action: 'write', contentType: 'image/tiff', expires: NOW + 900_000, extensionHeaders: { 'x-goog-if-generation-match': '0' } });
  });

  it('returns the URL, PUT, the Content-Type and generation headers the upload must send, and the expiry', async () => {
    const { bucket } = stubBucket(signed);
    const upload = await new GcsUploadSigner({ bucket, now: () => NOW }).presignPut('uploads/x.tif', { contentType: 'image/tiff', expiresInS: 900 });
    expect(upload).toEqual({
      url: 'https://storage.googleapis.com/imagery/uploads%2Fx.tif?X-Goog-Signature=abc',
      method: 'PUT',
      headers: { 'content-type': 'image/tiff', 'x-goog-if-generation-match': '0' },
      expiresAt: '2024-08-01T00:15:00.000Z',
    });
  });

  it('refuses a bad key with InvalidRequestError before signing', async () => {
    const { bucket, getSignedUrl } = stubBucket(signed);
    await expect(new GcsUploadSigner({ bucket }).presignPut('../x.tif', { contentType: 'image/tiff', expiresInS: 60 })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(getSignedUrl).not.toHaveBeenCalled();
  });

  it('fails with DeadlineExceededError without signing when the signal has fired', async () => {
    const { bucket, getSignedUrl } = stubBucket(signed);
    const options = { contentType: 'image/tiff', expiresInS: 60, signal: AbortSignal.abort() };
    await expect(new GcsUploadSigner({ bucket }).presignPut('uploads/x.tif', options)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(getSignedUrl).not.toHaveBeenCalled();
  });

  it('maps a signing failure to DependencyUnavailableError without the SDK message', async () => {
    const failure = Object.assign(new Error('Permission iam.serviceAccounts.signBlob denied on projects/p/serviceAccounts/sa@p.iam'), { name: 'SigningError' });
    const { bucket } = stubBucket(async () => {
      throw failure;
    });
    const error = await new GcsUploadSigner({ bucket }).presignPut('uploads/x.tif', { contentType: 'image/tiff', expiresInS: 60 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toBe('Cloud Storage could not sign an upload URL for "uploads/x.tif" (SigningError)');
    expect((error as Error).cause).toBe(failure);
  });
});
