/**
 * The Lambda entry of `functions/monitor-sites.aws.ts` (serverless.yml). Lambda reads a handler string up to
 * its FIRST dot as the file (see `functions/aws/http-api.ts`), so this dot-free path only re-exports.
 */
export { handler } from '../monitor-sites.aws.js';
