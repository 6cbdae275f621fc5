// The reference cold start on Azure Functions: functions that create the SDK clients the Kelpie
// functions create (a Blob container client, a storage queue client) and answer at once.
import { type HttpRequest, type InvocationContext, app } from '@azure/functions';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';

const connection = process.env.AZURE_STORAGE_CONNECTION_STRING ?? '';
const container = new ContainerClient(connection, process.env.KELPIE_BUCKET ?? 'bench');
const queue = new QueueClient(connection, process.env.KELPIE_JOB_QUEUE_NAME ?? 'bench');

export const handler = async (_request: HttpRequest, _context: InvocationContext) => ({ status: 200, jsonBody: { status: 'ok', container: container.containerName, queue: queue.name } });
export const answer = async (_input: unknown, _context: InvocationContext) => undefined;
export { answer as analyzeUploadEventGrid, answer as analyzeJob, answer as backup, answer as healthPing };

app.http('api', { methods: ['GET'], authLevel: 'anonymous', route: '{*path}', handler });
