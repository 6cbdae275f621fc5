import './styles.css';
import { type ApiClient, ApiError, createApiClient } from './api.js';
import { setupApiKey } from './api-key.js';
import { AreaPicker, areaFieldsOf } from './area-picker.js';
import { el, byId, find } from './dom.js';
import { formatNumber } from './format.js';
import { AnalysisForm } from './form.js';
import { HistoryList } from './history.js';
import { JobRunner } from './job.js';
import { createMap } from './map-view.js';
import { readPageConfig } from './page-config.js';
import { ProgressView } from './progress-view.js';
import { ResultLayers } from './result-layers.js';
import { type DOWNLOADS, bedsSection, renderResult } from './results.js';
import { followAddress, showAnalysisInAddress } from './route.js';
import { renderSeries } from './series.js';
import type { AnalysisDocument, ResultDocument } from './types.js';
import { uploadImage } from './upload.js';

/** The image `npm start` seeds into the local store (scripts/seed-local.mjs), offered in development. */
const SAMPLE_KEY = 'uploads/coastal-sample.tif';

const config = readPageConfig();
const map = createMap(byId('map'), config);
const key = setupApiKey(byId<HTMLFormElement>('key-form'), byId<HTMLInputElement>('api-key'), byId('api-key-error'), () => void history.load());
const api: ApiClient = createApiClient(key.get);
const layers = new ResultLayers(map, api);
const progress = new ProgressView(byId('job'));
const results = byId('results');
const history = new HistoryList(api, { list: find<HTMLOListElement>(byId('history'), 'ol'), more: byId<HTMLButtonElement>('history-more'), error: byId('history-error') }, key.reject);
const formElement = byId<HTMLFormElement>('analysis-form');
const picker = new AreaPicker(map, areaFieldsOf(formElement), { point: byId<HTMLButtonElement>('pick-point'), box: byId<HTMLButtonElement>('draw-box') });
const form = new AnalysisForm(formElement, (mode) => picker.use(mode === 'point' || mode === 'box' ? mode : undefined), config.env === 'development' ? SAMPLE_KEY : undefined);

/** Fetches an artifact with the key and hands it to the browser as a download. */
async function download(id: string, name: (typeof DOWNLOADS)[number]): Promise<void> {
  const url = URL.createObjectURL(await api.blob(`api/analyses/${encodeURIComponent(id)}/${name}`));
  const link = el('a', { attrs: { href: url, download: `${id}-${name}` } });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function showResult(result: ResultDocument): Promise<void> {
  const actions = { download: (name: (typeof DOWNLOADS)[number]) => download(result.id, name), openBed: (id: number) => layers.beds?.open(id, map) };
  renderResult(results, result, actions);
  try {
    const beds = await layers.show(result);
    const list = bedsSection(beds, actions);
    if (list) results.append(list);
  } catch (error) {
    if ((error as Error).name !== 'AbortError') results.append(el('p', { class: 'error', attrs: { role: 'alert' }, text: `The map layers could not be loaded: ${(error as Error).message}` }));
  }
}

function showDocument(document: Exclude<AnalysisDocument, { type: 'status' }>): void {
  progress.hide();
  if (document.type === 'result') void showResult(document.result);
  else {
    layers.showArea(document.series.aoi.bboxWgs84);
    renderSeries(results, document.series, (id) => {
      showAnalysisInAddress(id);
      open(id);
    });
  }
  void history.load();
  // Screen readers and keyboards land on what just appeared.
  results.querySelector<HTMLElement>('h2')?.focus();
}

const runner = new JobRunner(api, {
  status: (status) => progress.status(status),
  done: showDocument,
  failed(error, phase) {
    if (error.status === 401) key.reject(error.message);
    progress.failed(error.message);
    if (phase === 'job') form.showSourceError(error.message);
  },
});

/** Shows analysis `id` (from the address or the history list), following it while it runs. */
function open(id: string | undefined): void {
  if (!id) return runner.stop();
  results.hidden = true;
  progress.waiting('Loading the analysis…');
  void runner.follow(id);
}

const uploadBox = byId('upload-progress');
function uploadProgress(name: string) {
  uploadBox.hidden = false;
  const bar = find<HTMLProgressElement>(uploadBox, 'progress');
  const text = find(uploadBox, '.progress-text');
  return (sent: number, total: number) => {
    const percent = total ? Math.round((100 * sent) / total) : 0;
    bar.value = percent;
    text.textContent = `Uploading “${name}”: ${percent} % of ${formatNumber(total / 1e6, 1)} MB`;
  };
}

let submitting = false;
formElement.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submitting) return; // one click, one analysis (the Idempotency-Key covers retries too)
  submitting = true;
  form.busy(true);
  form.clearErrors();
  try {
    const plan = form.read();
    let body = plan.mode === 'upload' ? undefined : plan.body;
    if (plan.mode === 'upload') {
      const storeKey = await uploadImage(api, plan.file, uploadProgress(plan.file.name));
      body = { source: { key: storeKey }, ...plan.options };
    }
    progress.waiting('Starting the analysis…');
    const { id, document } = await runner.submit(body);
    showAnalysisInAddress(id);
    void runner.follow(id, document);
  } catch (error) {
    progress.hide();
    if (error instanceof ApiError && error.status === 401) key.reject(error.message);
    else if ((error as Error).name !== 'AbortError') form.showError(error as Error);
  } finally {
    submitting = false;
    form.busy(false);
  }
});

// The skip link moves the focus without touching the address (the address holds the analysis).
find(document, '.skip').addEventListener('click', (event) => {
  event.preventDefault();
  byId('panel').focus();
});

followAddress(open);
void history.load();
requestAnimationFrame(() => performance.mark('kelpie:first-render'));
