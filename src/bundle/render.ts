import { type Document, OUTPUT_DIRS } from '../documents/document.js';
import { documentText } from '../documents/text.js';

/** path -> content, in path order: the whole bundle, in memory. */
export type Bundle = ReadonlyMap<string, string>;

/**
 * Documents -> their files, in path order: the one place the bundle becomes text. `texts`
 * keeps each document's text, so that a document shared by several views is serialised once.
 */
export function render(docs: readonly Document[], texts: WeakMap<Document, string> = new WeakMap()): Bundle {
  const out = new Map<string, string>();
  for (const doc of [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const top = doc.path.split('/')[0];
    if (!OUTPUT_DIRS.includes(top as (typeof OUTPUT_DIRS)[number])) throw new Error(`${doc.path}: generated files must go under ${OUTPUT_DIRS.join('/, ')}/`);
    if (out.has(doc.path)) throw new Error(`${doc.path}: generated twice`);
    let text = texts.get(doc);
    if (text === undefined) {
      text = documentText(doc);
      texts.set(doc, text);
    }
    out.set(doc.path, text);
  }
  return out;
}
