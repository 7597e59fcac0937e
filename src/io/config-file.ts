import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '../model/load.js';

/** Reads a user's override file. YAML syntax errors are reported with their line and column. */
export function readOverrideFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, [{ path: '(file)', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` }]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      path,
      doc.errors.map((err) => ({
        path: err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '(file)',
        message: `expected valid YAML: ${err.message.split('\n')[0]}`,
      })),
    );
  }
  return doc.toJS();
}
