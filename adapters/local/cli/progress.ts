/**
 * A one-line progress bar on a TTY (stderr), redrawn at most every 100 ms; silent otherwise,
 * so piped output and `--json` stay clean.
 */
export function progressBar(stream: NodeJS.WriteStream, label: string): { update(done: number, total: number): void; end(): void } {
  if (!stream.isTTY) return { update() {}, end() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / Math.max(1, total)) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((100 * done) / Math.max(1, total))}%`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
