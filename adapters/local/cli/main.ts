import { isKelpieError } from '../../../core/errors.js';
import { inPlainWords } from '../../../core/report/plain-words.js';
import { analyzeCommand } from './analyze-command.js';
import { backupCommand, healthCommand, restoreCommand } from './ops-commands.js';
import { sampleCommand } from './sample-command.js';
import { monitorCommand, sitesCommand } from './sites-command.js';
import { UsageError } from './usage.js';
import { validateCommand } from './validate-command.js';
import { watchCommand } from './watch-command.js';

/** CLI exit codes: 0 done, 2 usage error, 3 unusable input, 1 a bug. */
const EXIT = { ok: 0, bug: 1, usage: 2, unusable: 3 } as const;

const USAGE = `Usage:
  kelpie analyze <scene> [--out DIR] [--method kd|fai|ndvi|ndre|consensus] [--species macrocystis|nereocystis|mixed]
                 [--sensor sentinel-2|landsat-8|landsat-9] [--area-mode binary|fractional] [--bands B02,B03,...]
                 [--boa-offset N] [--min-bed-area M2] [--layers rgb,false-color,ndvi,fai,kd] [--json]
                 (method: default kd on Sentinel-2, fai on Landsat, where kd and ndre cannot run: no red edge;
                 --sensor with --bands names a multi-band Landsat file's bands: SR_B2,SR_B3,...,QA_PIXEL)
                 <scene>: a multi-band GeoTIFF; a Sentinel-2 .SAFE folder or its .zip; a Landsat 8/9 Collection 2
                 Level-2 product folder or .zip (…_SR_B4.TIF, …_QA_PIXEL.TIF, …_MTL.json); a folder of band
                 files; or the band files themselves (B04.tif B08.tif …, T10SEG_…_B04_10m.jp2, red.tif …)
  kelpie analyze --stac-url URL (--point LAT,LNG [--buffer-km N] | --bbox W,S,E,N) --from DATE --to DATE
                 [--max-cloud PCT] [--collection sentinel-2-l2a,landsat-c2-l2] [--series] [--json] [--out DIR]
                 [analysis options as above] (--collection: repeatable or a comma list, default sentinel-2-l2a;
                 KELPIE_STAC_URL sets the default catalog; KELPIE_OUTBOUND_HOSTS lists extra hosts)
  kelpie sample [--out DIR] [--size N] [--seed N] [--layout multiband|per-band|both] [--variation uniform|natural]
                 [--sensor sentinel-2|landsat-8|landsat-9] [--date YYYY-MM-DD (Landsat)]
                 (--size in 10 m pixels; Landsat renders the same place at 30 m, per-band as USGS ships it)
  kelpie validate <scene.tif> <labels.tif|labels.geojson> [--methods kd,fai,ndvi,ndre,consensus]
                 [--min-fraction F] [--bands B02,...] [--boa-offset N] [--out DIR] [--json]
  kelpie backup [--dry-run] [--json]
  kelpie restore <YYYY-MM-DD> [--to PREFIX] [--only KEY ...] [--force] [--json]
  kelpie health
  kelpie watch            (analyse GeoTIFFs copied into KELPIE_DATA_DIR/uploads/; fs store)
  kelpie sites add --name NAME (--point LAT,LNG [--buffer-km N] | --bbox W,S,E,N | --geojson FILE)
                 [--since DATE] [--species ...] [--method ...] [--area-mode ...] [--max-cloud PCT]
                 [--collection sentinel-2-l2a,landsat-c2-l2] (default sentinel-2-l2a; with Landsat the method is fai)
                 [--webhook URL] [--threshold PCT] [--direction drop|rise|both] [--json]
  kelpie sites list|show <id>|remove <id> [--json]
  kelpie sites series <id> [--csv [--observations|--trend]] [--json]
  kelpie monitor [--wait] [--json]   (one scheduled check of every site; --wait runs the local queue)

Stores come from KELPIE_STORE, KELPIE_DATA_DIR, KELPIE_BUCKET, KELPIE_BACKUP_BUCKET (see README).
Exit codes: 0 done, 2 usage error, 3 unusable input, 4 a health check failed.`;

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  analyze: analyzeCommand,
  sample: sampleCommand,
  validate: validateCommand,
  backup: backupCommand,
  restore: restoreCommand,
  health: healthCommand,
  watch: watchCommand,
  sites: sitesCommand,
  monitor: monitorCommand,
};

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`kelpie: unknown command "${command}"; known: ${Object.keys(COMMANDS).join(', ')}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${commandUsage(command)}\n`);
    return EXIT.ok;
  }
  try {
    await run(rest);
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

/** The usage lines of one command (its lines and their continuations), with the closing notes. */
function commandUsage(command: string): string {
  const lines = USAGE.split('\n');
  const own: string[] = [];
  let inside = false;
  for (const line of lines.slice(1)) {
    if (line.startsWith('  kelpie ')) inside = line.startsWith(`  kelpie ${command} `) || line === `  kelpie ${command}`;
    else if (!line.startsWith('   ')) inside = false;
    if (inside) own.push(line);
  }
  return ['Usage:', ...own, '', ...lines.slice(lines.indexOf('') + 1)].join('\n');
}

function reportError(error: unknown): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`kelpie: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (isKelpieError(error)) {
    const usage = error.code === 'INVALID_REQUEST' || error.code === 'UNKNOWN_NAME' || error.code === 'UNSUPPORTED_METHOD';
    // The core words its messages for API clients: option names become this CLI's flags.
    process.stderr.write(`kelpie: ${inPlainWords(error.message, 'cli')} [${error.code}]\n`);
    return usage ? EXIT.usage : EXIT.unusable;
  }
  process.stderr.write(`kelpie: internal error: ${(error as Error)?.message ?? String(error)}\n`);
  if (process.env.KELPIE_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return EXIT.bug;
}
