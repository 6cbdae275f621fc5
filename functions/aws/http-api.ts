/**
 * The Lambda entry of `functions/http-api.aws.ts` (serverless.yml `functions.api.handler`).
 * Lambda's Node.js runtime, and serverless-offline, which copies its loader, read a handler string
 * up to its FIRST dot as the file: `functions/http-api.aws.handler` would load
 * `functions/http-api` and look for an export `aws.handler`. This dot-free path only re-exports.
 */
export { handler } from '../http-api.aws.js';
