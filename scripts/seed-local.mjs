// Seeds the filesystem store for `npm start`: copies the bundled sample scene to
// <KELPIE_DATA_DIR or .data>/uploads/coastal-sample.tif. Idempotent: an existing file is left as
// it is, so its etag (size and mtime) and therefore its analysis id stay the same.
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLE = fileURLToPath(new URL('../samples/coastal-sample.tif', import.meta.url));

/** The store key the sample is seeded under. */
export const SAMPLE_KEY = 'uploads/coastal-sample.tif';

/** Copies the sample into `dataDir` unless it is there already; returns the file and whether it was written. */
export async function seedLocal(dataDir = process.env.KELPIE_DATA_DIR || '.data') {
  const target = path.resolve(dataDir, ...SAMPLE_KEY.split('/'));
  if (await stat(target).then(() => true, () => false)) return { file: target, written: false };
  await mkdir(path.dirname(target), { recursive: true });
  // Temp file then rename, as the filesystem store writes: a reader never sees half a file.
  // The name has the store's temp form (.<name>.<16 hex>.tmp), so it is never listed.
  const temp = path.join(path.dirname(target), `.coastal-sample.tif.${process.pid.toString(16).padStart(16, '0')}.tmp`);
  try {
    await copyFile(SAMPLE, temp);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  return { file: target, written: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { file, written } = await seedLocal();
  console.log(`${written ? 'seeded' : 'already seeded'}: ${path.relative(process.cwd(), file) || file} (key ${SAMPLE_KEY})`);
}
