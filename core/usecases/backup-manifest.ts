import { NotFoundError } from '../errors.js';
import type { BlobStore, CallOptions } from '../ports/blob-store.js';

/** Where backups live in the backup store: `backups/<YYYY-MM-DD>/…`. */
export const BACKUP_ROOT = 'backups/';

/** One backed-up object: its key under results/, checksum, and where its verified copy is. */
export interface ManifestEntry {
  key: string;
  size: number;
  sha256: string;
  /** The source object's etag when it was copied: unchanged etag means unchanged object. */
  sourceEtag?: string;
  /** Key of the verified copy in the backup store (this date's folder or an older one). */
  backupKey: string;
}

/** `backups/<date>/manifest.json`, written last: its presence means the backup is complete. */
export interface Manifest {
  schemaVersion: 1;
  date: string;
  createdAt: string;
  /** The complete backup this one builds on (its unchanged objects are not copied again). */
  previous: string | null;
  objects: ManifestEntry[];
}

export const manifestKey = (date: string) => `${BACKUP_ROOT}${date}/manifest.json`;

/** UTC calendar date of a timestamp, `YYYY-MM-DD`. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Hex SHA-256 of bytes (Web Crypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Every key under `prefix`, following cursors. */
export async function listAll(store: Pick<BlobStore, 'list'>, prefix: string, options: CallOptions = {}) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(prefix, { ...options, cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** The manifest of `date`, or undefined when that backup is incomplete or absent. */
export async function readManifest(store: Pick<BlobStore, 'get'>, date: string, options: CallOptions = {}): Promise<Manifest | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(manifestKey(date), options))) as Manifest;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** Dates that have a folder under backups/, and those of them that are complete, oldest first. */
export function backupDates(keys: readonly string[]): { all: string[]; complete: string[] } {
  const all = new Set<string>();
  const complete = new Set<string>();
  for (const key of keys) {
    const match = /^backups\/(\d{4}-\d{2}-\d{2})\/(.+)$/.exec(key);
    if (!match) continue;
    all.add(match[1]);
    if (match[2] === 'manifest.json') complete.add(match[1]);
  }
  return { all: [...all].sort(), complete: [...complete].sort() };
}
