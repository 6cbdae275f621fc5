import { spawnSync } from 'node:child_process';

/**
 * Runs a GDAL command-line tool (gdal-bin) with no .aux.xml side files; throws with its stderr
 * when it fails, and says how to install GDAL when it is missing (tests fail, never skip).
 *
 * @example
 * ```ts
 * runGdal('gdal_translate', ['-q', '-of', 'JP2OpenJPEG', 'B04.tif', 'B04.jp2']);
 * ```
 */
export function runGdal(tool: string, args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8', env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(`${tool} is not on PATH; these tests need the GDAL command line: run \`apt-get install -y gdal-bin\``);
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** gdal_translate's options for a lossless JPEG 2000 band as Sentinel-2 ships it (JP2OpenJPEG, reversible 5/3, no YCbCr). */
export const LOSSLESS_JP2 = ['-of', 'JP2OpenJPEG', '-co', 'QUALITY=100', '-co', 'REVERSIBLE=YES', '-co', 'YCBCR420=NO'];
