import { Document as YamlDoc } from 'yaml';
import type { Document } from './document.js';

/**
 * A document's exact bytes, serialised by the yaml library and JSON.stringify, never by string
 * concatenation of values. bundle/render.ts calls it for every document; the Kubernetes builder
 * for the documents its ConfigMaps carry as text.
 */
export function documentText(doc: Document): string {
  switch (doc.format) {
    case 'yaml':
      return yamlText(doc.notice, doc.data);
    case 'rules':
      return yamlText(doc.notice, { groups: doc.groups });
    case 'json':
      return jsonText({ __generated: doc.notice, ...doc.data });
    case 'dashboard':
      return jsonText({ __generated: doc.notice, ...doc.dashboard });
    case 'json-list':
      return jsonText(doc.items);
    case 'markdown':
      return `<!-- ${doc.notice} -->\n${doc.body.endsWith('\n') ? doc.body : `${doc.body}\n`}`;
    case 'properties': {
      const comments = [doc.notice, ...doc.notes].map((line) => `# ${line.replace(/\n/g, ' ')}`);
      const lines = Object.entries(doc.entries).map(([k, v]) => `${propertiesEscape(k, true)}=${propertiesEscape(v, false)}`);
      return `${[...comments, '', ...lines].join('\n')}\n`;
    }
  }
}

/** YAML with the generated-file notice as its first lines. */
function yamlText(notice: string, data: unknown): string {
  const doc = new YamlDoc(data, { keepUndefined: false });
  doc.commentBefore = ` ${notice}`;
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

/** Two-space indented JSON ending with a newline (JSON has no comments: the notice is a key Grafana and Prometheus ignore). */
function jsonText(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * java.util.Properties escaping: backslashes and control characters everywhere; in a key also the
 * separators (`=`, `:`, space) and a leading comment character; in a value a leading space.
 */
function propertiesEscape(text: string, key: boolean): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\f/g, '\\f');
  return key ? escaped.replace(/[=: ]/g, (c) => `\\${c}`).replace(/^[#!]/, (c) => `\\${c}`) : escaped.replace(/^ /, '\\ ');
}
