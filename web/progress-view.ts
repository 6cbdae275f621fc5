import { find, showError } from './dom.js';
import { formatNumber } from './format.js';
import type { StatusDocument } from './types.js';

/** Words for each state of an analysis. */
const STATE_TEXT: Record<StatusDocument['status'], string> = {
  queued: 'Waiting to start',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
};

/** The "Progress" panel: what the analysis reports while it runs, and why it failed. */
export class ProgressView {
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;
  private readonly error: HTMLElement;

  constructor(private readonly section: HTMLElement) {
    this.bar = find<HTMLProgressElement>(section, 'progress');
    this.text = find(section, '.progress-text');
    this.error = find(section, '.error');
  }

  /** Shows `message` with an indeterminate bar (submitting, loading a saved analysis). */
  waiting(message: string): void {
    this.section.hidden = false;
    this.bar.hidden = false;
    this.bar.removeAttribute('value');
    this.text.textContent = message;
    showError(this.error, undefined);
  }

  /** Shows a status document: state, step, done of total and percent. */
  status(status: StatusDocument): void {
    this.section.hidden = false;
    showError(this.error, undefined);
    const progress = status.progress;
    if (progress && Number.isFinite(progress.percent)) this.bar.value = Math.max(0, Math.min(100, progress.percent));
    else this.bar.removeAttribute('value');
    const attempt = status.attempt && status.attempt > 1 ? ` (attempt ${status.attempt})` : '';
    const detail = progress ? `: ${progress.step}, ${formatNumber(progress.done, 0)} of ${formatNumber(progress.total, 0)} ${progress.unit} (${formatNumber(progress.percent, 0)} %)` : '';
    this.text.textContent = `${STATE_TEXT[status.status] ?? status.status}${attempt}${detail}`;
  }

  /** Says the last status question failed and when it is asked again (the bar stays as it was). */
  retrying(message: string, delayMs: number): void {
    this.section.hidden = false;
    showError(this.error, undefined);
    this.text.textContent = `Could not ask for the progress (${message}); asking again in ${formatNumber(delayMs / 1000, 0)} s`;
  }

  /** Shows why the analysis could not be followed or failed, in the API's words. */
  failed(message: string): void {
    this.section.hidden = false;
    this.bar.hidden = true;
    this.text.textContent = '';
    showError(this.error, message);
  }

  hide(): void {
    this.section.hidden = true;
    this.bar.hidden = false;
  }
}
