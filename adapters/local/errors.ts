import { ForbiddenError } from '../../core/api/http-errors.js';

/** A local upload URL was refused: wrong signature, expired, or not for `uploads/` (403). */
export class UploadForbiddenError extends ForbiddenError {}
