/**
 * DOM helpers. Every string from data (file names, keys, warnings, messages) goes in as text:
 * these helpers have no way to set HTML, and no module of the page uses innerHTML.
 */

type Child = Node | string | number | null | undefined | false;

/** Attributes and text of a new element; `text` is set with textContent. */
export interface ElementProps {
  class?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/**
 * A new element with text children only.
 *
 * @example
 * ```ts
 * el('p', { class: 'hint' }, 'Uploading ', fileName); // fileName shows as typed, never parsed
 * ```
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  if (props.text !== undefined) node.textContent = props.text;
  append(node, ...children);
  return node;
}

/** An SVG element (for the series chart); attribute values are set as attributes, never parsed. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  append(node, ...children);
  return node;
}

/** Appends children; strings and numbers become text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** The element with `id`, or an error naming it (the page's HTML and script are out of step). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** The first match of `selector` under `root`, or an error naming it. */
export function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const node = root.querySelector(selector);
  if (!node) throw new Error(`the page has no ${selector}`);
  return node as T;
}

/** Shows `message` (as text) in an error element, or hides it when `message` is undefined. */
export function showError(target: HTMLElement, message: string | undefined): void {
  target.textContent = message ?? '';
  target.hidden = message === undefined;
}
