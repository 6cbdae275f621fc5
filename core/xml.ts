/**
 * Just enough XML for product metadata (Sentinel-2 `MTD_MSIL2A.xml`, `MTD_TL.xml`, GMLJP2):
 * elements by local name, whatever their namespace prefix, with their attributes and text.
 * Not a general parser: an element is assumed not to contain another of the same name, which
 * holds for every element read here. No DTDs or entities beyond the five predefined ones, so
 * nothing in a document can make it expand.
 */

/** One element: its attributes and its content (inner markup included; `text` is with tags removed and entities decoded). */
export interface XmlElement {
  attributes: Record<string, string>;
  inner: string;
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/**
 * Every element named `name` (any namespace prefix), in document order.
 *
 * @example
 * ```ts
 * xmlElements('<n1:A><B id="1">x</B></n1:A>', 'B'); // [{ attributes: { id: '1' }, inner: 'x', text: 'x' }]
 * ```
 */
export function xmlElements(xml: string, name: string): XmlElement[] {
  const tag = `(?:[\\w.-]+:)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  const pattern = new RegExp(`<${tag}((?:\\s[^>]*?)?)(?:/>|>([\\s\\S]*?)</${tag}\\s*>)`, 'g');
  const out: XmlElement[] = [];
  for (const match of xml.matchAll(pattern)) {
    const inner = match[2] ?? '';
    out.push({ attributes: attributesOf(match[1] ?? ''), inner, text: decodeXmlText(inner.replace(/<[^>]*>/g, '')).trim() });
  }
  return out;
}

/** The text of the first element named `name`, or undefined. */
export function xmlText(xml: string, name: string): string | undefined {
  return xmlElements(xml, name)[0]?.text;
}

function attributesOf(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([\w.:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) attributes[match[1]] = decodeXmlText(match[3] ?? match[4] ?? '');
  return attributes;
}
