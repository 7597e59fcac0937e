import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem, type LineOf } from '../model/problems.js';
import { describeFsError } from './errors.js';

/**
 * An override holds a few dozen settings: a file a thousand times that size is the wrong
 * file (a log, a dump), and reading it whole would only delay the error.
 */
export const MAX_OVERRIDE_BYTES = 1024 * 1024;
/**
 * Aliases a file may expand. Anchors are handy for repeated tiers, but each alias is copied
 * where it is used: a "billion laughs" file of a few hundred bytes expands to gigabytes.
 */
export const MAX_ALIAS_COUNT = 100;

function fileProblem(path: string, message: string): ConfigError {
  return new ConfigError(path, [{ path: '(file)', message }]);
}

/** The file's bytes, refusing what is not a regular file of sane size (a FIFO would block forever). */
function readBytes(path: string): Buffer {
  let fd: number;
  try {
    // Non-blocking: opening a named pipe for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fileProblem(path, `cannot be read: ${describeFsError(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fileProblem(path, `expected a regular file, got ${st.isDirectory() ? 'a directory' : 'a device, pipe or socket'}`);
    if (st.size > MAX_OVERRIDE_BYTES)
      throw fileProblem(path, `expected at most ${MAX_OVERRIDE_BYTES} bytes (an override lists only what differs from the defaults), got ${st.size}`);
    const buf = Buffer.alloc(MAX_OVERRIDE_BYTES + 1);
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n <= 0) break;
      len += n;
    }
    if (len > MAX_OVERRIDE_BYTES) throw fileProblem(path, `expected at most ${MAX_OVERRIDE_BYTES} bytes, and it grew while being read`);
    return buf.subarray(0, len);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw fileProblem(path, `cannot be read: ${describeFsError(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** Line and column (1-based) of a byte offset. */
function position(bytes: Buffer, offset: number): string {
  const before = bytes.subarray(0, offset);
  const line = before.filter((b) => b === 0x0a).length + 1;
  const lineStart = before.lastIndexOf(0x0a) + 1;
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [len, min] =
      b < 0x80 ? [1, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80] : b >= 0xe0 && b <= 0xef ? [3, 0x800] : b >= 0xf0 && b <= 0xf4 ? [4, 0x10000] : [0, 0];
    if (len === 0 || i + len > bytes.length) return i;
    let cp = len === 1 ? b : b & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += len;
  }
  return -1;
}

function decode(path: string, bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw fileProblem(path, 'expected UTF-8 text, got UTF-16 (save the file as UTF-8)');
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    throw fileProblem(path, `expected UTF-8 text, got byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at ${position(bytes, bad)} (save the file as UTF-8)`);
  }
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** "flows[1].connectors.source.name" -> flows, 1, connectors, source, name (a key may hold dots: strimzi.io/kind). */
function pathTokens(path: string): (string | number)[] {
  return path.split(/\.|(?=\[)/).flatMap((part): (string | number)[] => {
    const index = /^\[([0-9]+)\]$/.exec(part);
    return index ? [Number(index[1])] : part === '' ? [] : [part];
  });
}

/**
 * The line of a field path in the parsed file: the line of its key, or of the deepest part of
 * the path the file writes (a value the defaults supply has no line of its own). Keys holding
 * dots are matched whole.
 */
function lineFinder(contents: unknown, counter: LineCounter): LineOf {
  return (path) => {
    const tokens = pathTokens(path);
    let node = contents;
    let line: number | undefined;
    let i = 0;
    while (i < tokens.length) {
      const token = tokens[i]!;
      if (isSeq(node) && typeof token === 'number') {
        const item = node.items[token] as Node | undefined;
        if (!item?.range) break;
        line = counter.linePos(item.range[0]).line;
        node = item;
        i += 1;
        continue;
      }
      if (!isMap(node)) break;
      const map = node;
      let step = 0;
      for (let k = tokens.length - i; k >= 1 && step === 0; k--) {
        const key = tokens.slice(i, i + k).join('.');
        const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (pair && isScalar(pair.key) && pair.key.range) {
          line = counter.linePos(pair.key.range[0]).line;
          node = pair.value;
          step = k;
        }
      }
      if (step === 0) break;
      i += step;
    }
    return line;
  };
}

/** The override file's settings, and where each field path sits in it. */
export interface OverrideDocument {
  readonly value: unknown;
  readonly lineOf: LineOf;
}

/**
 * Reads a user's override file. Problems with the file itself (unreadable, too large, not
 * UTF-8, not YAML, empty, an alias bomb) are reported with its name and, where there is
 * one, the line and column.
 */
export function readOverrideFile(path: string): unknown {
  return readOverrideDocument(path).value;
}

export function readOverrideDocument(path: string): OverrideDocument {
  const text = decode(path, readBytes(path));
  const counter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter: counter });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      path,
      doc.errors.map(
        (err): ConfigProblem => ({
          path: err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '(file)',
          message: `expected valid YAML: ${err.message.split('\n')[0]}`,
        }),
      ),
    );
  }
  // An empty file is refused rather than read as "no overrides": an override that went
  // missing (a truncated file, a template never filled) would otherwise deploy the
  // defaults' hosts and job silently. To build from the defaults, omit --config.
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw fileProblem(
      path,
      'is empty (no settings): expected a mapping of the settings that differ from the defaults; to build from the defaults alone, omit --config',
    );
  }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), lineOf: lineFinder(doc.contents, counter) };
  } catch (e) {
    if (e instanceof ReferenceError || (e instanceof Error && /alias/i.test(e.message))) {
      throw fileProblem(
        path,
        `expected at most ${MAX_ALIAS_COUNT} alias expansions: its aliases expand to far more data than a configuration holds (${e.message})`,
      );
    }
    throw e;
  }
}
