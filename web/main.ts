import './styles.css';
import { type ApiClient, ApiError, createApiClient } from './api.js';
import { setupApiKey } from './api-key.js';
import { AreaPicker, areaFieldsOf } from './area-picker.js';
import { el, byId, find } from './dom.js';
import { formatNumber } from './format.js';
import { CATALOG_CODES, MESSAGES, catalogName, wordsFor } from './messages.js';
import { type ServiceInfo, readService } from './service.js';
import { AnalysisForm } from './form.js';
import { HistoryList } from './history.js';
import { type Answer, JobRunner, SubmissionKeys } from './job.js';
import { boundsOf, createMap, savedView } from './map-view.js';
import { readPageConfig } from './page-config.js';
import { ProgressView } from './progress-view.js';
import { ResultLayers } from './result-layers.js';
import { type DOWNLOADS, bedsSection, renderResult } from './results.js';
import { analysisInAddress, followAddress, showAnalysisInAddress } from './route.js';
import { renderSeries } from './series.js';
import { SitesPanel } from './sites.js';
import type { AnalysisDocument, ListItem, ResultDocument } from './types.js';
import { uploadImage } from './upload.js';

/** The image `npm start` seeds into the local store (scripts/seed-local.mjs), offered in development. */
const SAMPLE_KEY = 'uploads/coastal-sample.tif';

const config = readPageConfig();
const map = createMap(byId('map'), config);
/** Whether the map should still move to the newest analysis (no view of the user's own, no analysis in the address). */
let moveToNewest = !savedView() && !analysisInAddress();
map.on('dragstart zoomstart', () => (moveToNewest = false));
const keyNodes = { form: byId<HTMLFormElement>('key-form'), input: byId<HTMLInputElement>('api-key'), hint: byId('api-key-hint'), error: byId('api-key-error') };
let currentKey: () => string | undefined = () => undefined;
const api: ApiClient = createApiClient(() => currentKey());
const key = setupApiKey(keyNodes, api, keyAccepted);
currentKey = key.get;
const layers = new ResultLayers(map, api);
const progress = new ProgressView(byId('job'));
const results = byId('results');
const history = new HistoryList(api, { list: find<HTMLOListElement>(byId('history'), 'ol'), more: byId<HTMLButtonElement>('history-more'), error: byId('history-error') }, () => key.reject(), openOnNewest);
/** What `GET /api` said: whether a key is needed, whether a catalog is set up. */
let service: ServiceInfo = {};
/** True until a needed key is given: nothing is asked of the API that would only be refused. */
let waitingForKey = false;
const formElement = byId<HTMLFormElement>('analysis-form');
const picker = new AreaPicker(map, areaFieldsOf(formElement), { point: byId<HTMLButtonElement>('pick-point'), box: byId<HTMLButtonElement>('draw-box') });
const form = new AnalysisForm(formElement, (mode) => picker.use(mode === 'point' || mode === 'box' ? mode : undefined), config.env === 'development' ? SAMPLE_KEY : undefined);
const sitesSection = byId('sites');
const sites = new SitesPanel(
  api,
  { list: find<HTMLOListElement>(sitesSection, 'ol'), error: byId('sites-error'), form: byId<HTMLFormElement>('site-form'), name: byId<HTMLInputElement>('site-name') },
  {
    place: () => form.place(),
    results: byId('results'),
    showArea: (bbox) => layers.showArea(bbox),
    openAnalysis: (id) => {
      showAnalysisInAddress(id);
      open(id);
    },
    clear: () => {
      if (analysisInAddress()) window.history.pushState(null, '', window.location.pathname + window.location.search);
      show(undefined);
    },
  },
);

/**
 * Which analysis the page shows: `generation` grows whenever it switches to another (or to none),
 * so work still under way for the previous one (its result's layers and beds loading) is dropped
 * instead of landing in the new one's panel.
 */
const shown = {
  generation: 0,
  id: undefined as string | undefined,
  /** The analysis this page submitted last: its failure is also shown beside the form's source. */
  submitted: undefined as string | undefined,
  /** `refused`: the API would not say (401, 404…): opened again once an API key is given. */
  state: 'none' as 'none' | 'following' | 'done' | 'failed' | 'refused',
};

/** Fetches an artifact with the key and hands it to the browser as a download. */
async function download(id: string, name: (typeof DOWNLOADS)[number]): Promise<void> {
  const url = URL.createObjectURL(await api.blob(`api/analyses/${encodeURIComponent(id)}/${name}`));
  const link = el('a', { attrs: { href: url, download: `${id}-${name}` } });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function showResult(result: ResultDocument, generation: number): Promise<void> {
  const actions = { download: (name: (typeof DOWNLOADS)[number]) => download(result.id, name), openBed: (id: number) => layers.beds?.open(id, map) };
  renderResult(results, result, actions);
  try {
    const beds = await layers.show(result);
    if (generation !== shown.generation) return;
    const list = bedsSection(beds, actions);
    if (list) results.append(list);
  } catch (error) {
    if (generation !== shown.generation) return;
    if ((error as Error).name !== 'AbortError') results.append(el('p', { class: 'error', attrs: { role: 'alert' }, text: MESSAGES.layersFailed(wordsFor(error as Error)) }));
  }
}

function showDocument(document: Exclude<AnalysisDocument, { type: 'status' }>): void {
  shown.state = 'done';
  progress.hide();
  if (document.type === 'result') void showResult(document.result, shown.generation);
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
  status(status) {
    shown.state = 'following';
    progress.status(status);
  },
  done: showDocument,
  failed(error, phase) {
    shown.state = phase === 'job' ? 'failed' : 'refused';
    if (error.status === 401) key.reject();
    const message = wordsFor(error);
    progress.failed(message);
    // Beside the form only when it is about what this page just sent; else the progress area says it.
    if (phase === 'job' && shown.id !== undefined && shown.id === shown.submitted) form.showSourceError(message);
  },
  retrying: (error, delayMs) => progress.retrying(wordsFor(error), delayMs),
});

/**
 * Shows analysis `id` (none: an empty map), following it while it runs: what the previous one
 * put on the map and in the panel goes first. `known` is its latest answer when the page has it;
 * `submitted` when this page just submitted it.
 */
function show(id: string | undefined, known?: Answer, submitted = false): void {
  shown.generation++;
  if (submitted) shown.submitted = id;
  shown.id = id;
  layers.clear();
  results.replaceChildren();
  results.hidden = true;
  if (!id) {
    shown.state = 'none';
    runner.stop();
    progress.hide();
    return;
  }
  if (waitingForKey) {
    // Asking now would only be refused: it opens once the key is given (keyAccepted).
    shown.state = 'refused';
    progress.failed(MESSAGES.keyNeededToOpen);
    return;
  }
  shown.state = 'following';
  if (!known) progress.waiting(MESSAGES.loading);
  void runner.follow(id, known);
}

/** Opens analysis `id` from the address or the history list. */
function open(id: string | undefined): void {
  shown.submitted = undefined;
  show(id);
}

/** A key was entered and not refused: the history again, and the analysis in the address if it could not be opened before. */
function keyAccepted(): void {
  waitingForKey = false;
  void history.load();
  void sites.load();
  const id = analysisInAddress();
  if (id && id === shown.id && shown.state === 'refused') show(id);
}

/** The first page of the list came: the map moves to the newest analysis, unless the user has a view of their own. */
function openOnNewest(items: ListItem[]): void {
  const box = items.find((item) => Array.isArray(item.bboxWgs84) && item.bboxWgs84.length === 4 && item.bboxWgs84.every(Number.isFinite))?.bboxWgs84;
  if (!moveToNewest || !box || shown.id) return;
  moveToNewest = false;
  map.fitBounds(boundsOf(box), { padding: [16, 16], maxZoom: 12 });
}

const uploadBox = byId('upload-progress');
function uploadProgress(name: string) {
  uploadBox.hidden = false;
  const bar = find<HTMLProgressElement>(uploadBox, 'progress');
  const text = find(uploadBox, '.progress-text');
  return (sent: number, total: number) => {
    const percent = total ? Math.round((100 * sent) / total) : 0;
    bar.value = percent;
    text.textContent = MESSAGES.uploading(name, percent, formatNumber(total / 1e6, 1));
  };
}

/** The file uploaded for the submission under way, kept until it is analysed so a resend does not upload it again. */
let uploaded: { file: File; key: string } | undefined;
async function upload(file: File): Promise<string> {
  if (uploaded?.file !== file) {
    try {
      uploaded = { file, key: await uploadImage(api, file, uploadProgress(file.name)) };
    } finally {
      uploadBox.hidden = true;
    }
  }
  return uploaded.key;
}

const keys = new SubmissionKeys();
let submitting = false;
formElement.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submitting) return; // one click, one request; resending after a failure reuses the Idempotency-Key (SubmissionKeys)
  submitting = true;
  form.busy(true);
  form.clearErrors();
  const generation = shown.generation;
  // An analysis being followed keeps its progress on screen until this one is accepted.
  const saysStarting = !runner.following;
  try {
    const plan = form.read();
    const body = plan.mode === 'upload' ? { source: { key: await upload(plan.file) }, ...plan.options } : plan.body;
    if (saysStarting) progress.waiting(MESSAGES.starting);
    const { id, ...answer } = await runner.submit(body, keys.keyFor(body));
    keys.succeeded();
    uploaded = undefined;
    if (generation !== shown.generation) {
      // Another analysis was opened meanwhile: it stays on screen; this one is in the list.
      void history.load();
      return;
    }
    showAnalysisInAddress(id);
    show(id, answer, true);
  } catch (error) {
    if (saysStarting && generation === shown.generation && !runner.following) progress.hide();
    const place = ['point', 'box'].includes(form.mode());
    if (error instanceof ApiError && error.status === 401) key.reject();
    else if (place && error instanceof ApiError && CATALOG_CODES.has(error.code)) {
      form.showCatalogProblem(service.catalog?.configured === false || !service.catalog?.host ? MESSAGES.noCatalog : MESSAGES.catalogUnreachable(catalogName(service.catalog.host)));
    } else if ((error as Error).name !== 'AbortError') form.showError(error as Error);
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

/** Learns what the service needs and offers, then opens the analysis in the address and the list (once a needed key is given). */
async function start(): Promise<void> {
  // With a key kept from earlier in this tab, nothing needs to wait for the answer of GET /api.
  const keyKept = key.get() !== undefined;
  if (keyKept) {
    followAddress(open);
    void history.load();
    void sites.load();
  }
  service = await readService(api);
  form.useService(service, config.env === 'development');
  waitingForKey = key.require(service.keyRequired) === 'waiting';
  if (keyKept) return;
  followAddress(open);
  if (waitingForKey) history.say(MESSAGES.keyNeededToList);
  else {
    void history.load();
    void sites.load();
  }
}

void start();
requestAnimationFrame(() => performance.mark('kelpie:first-render'));
