import { showError } from './dom.js';

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

/** The API key field: entered once, kept for the browser session, and where 401s are shown. */
export interface ApiKeyField {
  /** The key to send, if any. */
  get(): string | undefined;
  /** Shows an error next to the field and moves the focus there. */
  reject(message: string): void;
}

/**
 * Wires the key form: the key is saved when it changes or the form is sent, restored on load.
 *
 * @example
 * ```ts
 * const key = setupApiKey(byId('key-form'), byId('api-key'), byId('api-key-error'));
 * const api = createApiClient(key.get);
 * ```
 */
export function setupApiKey(form: HTMLFormElement, input: HTMLInputElement, error: HTMLElement, onSaved: () => void = () => {}): ApiKeyField {
  input.value = stored() ?? '';
  const save = () => {
    store(input.value.trim() || undefined);
    showError(error, undefined);
    input.removeAttribute('aria-invalid');
  };
  input.addEventListener('change', save);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
    onSaved();
  });
  return {
    get: () => stored() ?? (input.value.trim() || undefined),
    reject(message) {
      showError(error, message);
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    },
  };
}
