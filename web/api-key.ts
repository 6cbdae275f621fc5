import { type ApiClient, ApiError } from './api.js';
import { showError } from './dom.js';
import { MESSAGES, wordsFor } from './messages.js';

/** Where the key is kept: this tab's session only, never localStorage or a cookie. */
const STORAGE_KEY = 'kelpie.apiKey';

function stored(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) || undefined;
  } catch {
    return undefined; // storage disabled: the field's value is used instead
  }
}

function store(key: string | undefined): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: nothing kept, the field still works for this page
  }
}

/** The access key field: asked for only when the service needs one, checked when entered, kept for the tab's session. */
export interface ApiKeyField {
  /** The key to send, if any. */
  get(): string | undefined;
  /** A call was refused for want of a (valid) key: says so beside the field and moves the focus there. */
  reject(): void;
  /**
   * Shows the field when the service needs a key (`true`) or may (`undefined`: it did not say),
   * hides it when it does not. `'waiting'` when a key is needed and none is kept yet.
   */
  require(required: boolean | undefined): 'ready' | 'waiting';
}

/** The parts of the key form. */
export interface KeyNodes {
  form: HTMLFormElement;
  input: HTMLInputElement;
  hint: HTMLElement;
  error: HTMLElement;
}

/**
 * Wires the key form: a key entered is kept for the tab's session and checked at once against
 * the API (a one-item listing: accepted, refused, or unchecked when the server cannot say); a
 * refused key is dropped and said so beside the field, else `onAccepted` runs.
 *
 * @example
 * ```ts
 * const key = setupApiKey(nodes, api, () => history.load());
 * if (key.require((await readService(api)).keyRequired) === 'ready') void history.load();
 * ```
 */
export function setupApiKey(nodes: KeyNodes, api: ApiClient, onAccepted: () => void = () => {}): ApiKeyField {
  const { form, input, hint, error } = nodes;
  input.value = stored() ?? '';
  const say = (text: string | undefined) => {
    hint.textContent = text ?? '';
    hint.hidden = text === undefined;
  };
  const refuse = (message: string) => {
    form.hidden = false;
    say(undefined);
    showError(error, message);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  let checking = 0;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return refuse(MESSAGES.keyMissing);
    const check = ++checking;
    store(key); // kept at once (a reload right away keeps it); dropped again if it is refused
    showError(error, undefined);
    input.removeAttribute('aria-invalid');
    say(MESSAGES.keyChecking);
    try {
      await api.json('GET', 'api/analyses?limit=1', { headers: { 'x-api-key': key } });
      if (check !== checking) return;
      say(MESSAGES.keyAccepted);
    } catch (caught) {
      if (check !== checking) return;
      if (caught instanceof ApiError && caught.status === 401) {
        store(undefined);
        return refuse(MESSAGES.keyRejected);
      }
      say(MESSAGES.keyUnchecked(wordsFor(caught as Error)));
    }
    onAccepted();
  });
  return {
    get: () => stored() ?? (input.value.trim() || undefined),
    reject() {
      refuse(stored() || input.value.trim() ? MESSAGES.keyRejected : MESSAGES.keyNeeded);
    },
    require(required) {
      form.hidden = required === false;
      if (required !== true || stored()) return 'ready';
      say(MESSAGES.keyNeeded);
      input.focus();
      return 'waiting';
    },
  };
}
