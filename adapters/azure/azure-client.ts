import {
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  newPipeline,
  type RequestPolicyFactory,
  StorageSharedKeyCredential,
  type StorageRetryOptions,
} from '@azure/storage-blob';
import type { CallOptions } from '../../core/ports/blob-store.js';
import type { PresignedUpload, UploadSigner } from '../../core/ports/upload-signer.js';
import { validateKey } from '../../core/storage/keys.js';

/** Options for {@link createAzureContainerClient}. */
export interface AzureContainerClientOptions {
  /** A storage account connection string (Azurite's is `UseDevelopmentStorage=true`, or spelled out). */
  connectionString: string;
  /** The container that holds the objects; it must exist. */
  container: string;
  /** Longest wait for an answer (response headers) per try, in ms; a hung endpoint fails after this. */
  requestTimeoutMs?: number;
  /** Tries per request, the first included (network errors, 500 and 503 are retried). */
  maxTries?: number;
}

const defaults = { requestTimeoutMs: 10_000, maxTries: 2 } satisfies Partial<AzureContainerClientOptions>;

/**
 * The container client, made once per cold start. Retries are few and short so a stopped
 * endpoint fails in seconds (and `/ready` says so) instead of after the SDK's default minutes.
 *
 * `retryOptions.tryTimeoutInMs` is only sent to the service as its `timeout` parameter; the SDK
 * has no client-side timeout of its own, so a small policy sets one on every request (the time
 * until the response headers arrive; a long download that keeps streaming is not cut off). The
 * SDK does not retry a try that timed out, so a hung endpoint fails after one `requestTimeoutMs`.
 *
 * @example
 * ```ts
 * const container = createAzureContainerClient({ connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING!, container: 'imagery' });
 * const store = new AzureBlobStore({ client: container });
 * ```
 */
export function createAzureContainerClient(options: AzureContainerClientOptions): ContainerClient {
  const { connectionString, container, requestTimeoutMs, maxTries } = { ...defaults, ...options };
  const retryOptions: StorageRetryOptions = { maxTries, tryTimeoutInMs: requestTimeoutMs, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };
  // Parses the connection string (account key or SAS) into a credential and the container URL.
  const service = BlobServiceClient.fromConnectionString(connectionString, { retryOptions });
  const pipeline = newPipeline(service.credential, { retryOptions });
  pipeline.factories.push(responseTimeout(requestTimeoutMs));
  return new ContainerClient(service.getContainerClient(container).url, pipeline);
}

/**
 * A request policy that gives each try a client-side timeout. It runs before the retry policy,
 * which sends the same request object on every try, so each try gets the full timeout.
 */
function responseTimeout(timeoutMs: number): RequestPolicyFactory {
  return {
    create: (next) => ({
      sendRequest: (request) => {
        request.timeout = timeoutMs;
        return next.sendRequest(request);
      },
    }),
  };
}

/** Options for {@link AzureUploadSigner}. */
export interface AzureUploadSignerOptions {
  /** A container client holding a shared-key credential: made from a connection string with `AccountKey`. */
  client: ContainerClient;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
}

/**
 * Upload URLs with a blob SAS (create and write on that one blob only): the client uploads
 * straight to the container with `PUT`, sending the returned headers (`x-ms-blob-type: BlockBlob`
 * is required by Put Blob; `Content-Type` becomes the blob's content type). Signing needs the
 * account key, so the container client must come from a connection string with `AccountKey`.
 *
 * @example
 * ```ts
 * const signer = new AzureUploadSigner({ client: container });
 * const { url, headers } = await signer.presignPut('uploads/a1-scene.tif', { contentType: 'image/tiff', expiresInS: 900 });
 * await fetch(url, { method: 'PUT', headers, body });
 * ```
 */
export class AzureUploadSigner implements UploadSigner {
  private readonly client: ContainerClient;
  private readonly now: () => number;

  constructor(options: AzureUploadSignerOptions) {
    if (!(options.client.credential instanceof StorageSharedKeyCredential)) {
      throw new TypeError('AzureUploadSigner needs a container client made from a connection string with AccountKey (a shared key signs the SAS)');
    }
    this.client = options.client;
    this.now = options.now ?? Date.now;
  }

  async presignPut(key: string, options: CallOptions & { contentType: string; expiresInS: number }): Promise<PresignedUpload> {
    const blob = this.client.getBlockBlobClient(validateKey(key));
    const expiresOn = new Date(this.now() + options.expiresInS * 1000);
    // No start time: a SAS that starts "now" fails on a client whose clock runs a little behind.
    // Create only ('c', not 'w'): the SAS writes a new blob and cannot overwrite one; the headers
    // ask for If-None-Match: * as well.
    const url = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('c'), expiresOn });
    return {
      url,
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': options.contentType, 'if-none-match': '*' },
      expiresAt: expiresOn.toISOString(),
    };
  }
}
