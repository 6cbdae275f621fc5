// `npm start`: seeds the filesystem store, then runs `serverless offline` (stage `local`:
// KELPIE_ENV=development, KELPIE_STORE=fs) on http://localhost:3000 with the API at the root.
// Extra arguments go to `serverless offline start` (e.g. `npm start -- --httpPort 4000`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { seedLocal } from './seed-local.mjs';

const { file, written } = await seedLocal();
console.log(`${written ? 'seeded' : 'sample already in place'}: ${file}`);

/**
 * The catalog a laptop uses when none is set: Earth Search (Element 84's public STAC API of
 * Sentinel-2 L2A COGs on AWS open data), so "Point and buffer" and "Box" work out of the box.
 * Its hosts go on the outbound allow-list: the API itself and the bucket the band files are in.
 * `KELPIE_STAC_URL=` (set, empty) means no catalog.
 */
const DEFAULT_CATALOG = { url: 'https://earth-search.aws.element84.com/v1', hosts: ['earth-search.aws.element84.com', 'sentinel-cogs.s3.us-west-2.amazonaws.com'] };

/** KELPIE_STAC_URL and KELPIE_OUTBOUND_HOSTS with the default catalog filled in when KELPIE_STAC_URL is unset. */
function catalogSettings(env) {
  if (env.KELPIE_STAC_URL !== undefined) return {};
  const hosts = (env.KELPIE_OUTBOUND_HOSTS ?? '').split(',').map((host) => host.trim()).filter(Boolean);
  return { KELPIE_STAC_URL: DEFAULT_CATALOG.url, KELPIE_OUTBOUND_HOSTS: [...new Set([...hosts, ...DEFAULT_CATALOG.hosts])].join(',') };
}

// serverless-offline runs the handler in worker threads that come and go (a new one after 60 s
// idle), so upload URLs need one secret for the whole run, not one per worker.
const env = { ...process.env, ...catalogSettings(process.env), KELPIE_LOCAL_UPLOAD_SECRET: process.env.KELPIE_LOCAL_UPLOAD_SECRET || randomBytes(32).toString('hex') };
if (process.env.KELPIE_STAC_URL === undefined) console.log(`STAC catalog: ${env.KELPIE_STAC_URL} (the default; KELPIE_STAC_URL= for none)`);
const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
const child = spawn(process.execPath, [serverless, 'offline', 'start', '--stage', 'local', ...process.argv.slice(2)], { stdio: 'inherit', env });
// The bucket notification of a laptop: GeoTIFFs copied into .data/uploads/ are analysed.
const watcher = spawn(process.execPath, [new URL('../dist/kelpie.mjs', import.meta.url).pathname, 'watch'], {
  stdio: 'inherit',
  env: { ...env, KELPIE_STORE: 'fs', KELPIE_ENV: 'development' },
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
    watcher.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  watcher.kill('SIGTERM');
  process.exit(code ?? (signal ? 1 : 0));
});
