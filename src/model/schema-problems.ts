import type { z } from 'zod';
import { ConfigSchema } from './config.js';
import { nearestKey } from './nearest.js';
import type { ConfigProblem } from './problems.js';

/**
 * What the schema refuses, in the words of the file's reader: the field path as written in the
 * file, what was expected, what was found, and for an unknown key the one most likely meant.
 */

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** The schema that validates the value at `path`, seen through optional/default/pipe wrappers. */
function schemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = schema;
  for (let i = 0; current && i <= path.length; ) {
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    // A union of a switch and a mapping (output.kubernetes: true, or settings): its keys are the mapping's.
    const options = def.type === 'union' ? (def['options'] as z.core.$ZodType[]) : undefined;
    const inner = def['innerType'] ?? (def.type === 'pipe' ? def['in'] : undefined) ?? options?.find((o) => o._zod.def.type === 'object');
    if (inner) {
      current = inner as z.core.$ZodType;
      continue;
    }
    if (i === path.length) break;
    const part = path[i++]!;
    if (def.type === 'object') current = (def['shape'] as Record<string, z.core.$ZodType>)[String(part)];
    else if (def.type === 'array') current = def['element'] as z.core.$ZodType;
    else if (def.type === 'record') current = def['valueType'] as z.core.$ZodType;
    else current = undefined;
  }
  return current;
}

function keysAt(path: readonly PropertyKey[]): string[] {
  const s = schemaAt(ConfigSchema, path);
  const def = s?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** A value as the user would recognise it from the file, shortened if long. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a text value',
  boolean: 'true or false',
  object: 'a mapping of settings',
  array: 'a list',
};

const plural = (n: number | bigint, word: string) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/** What the validator found, in the words of this file's reader; `undefined` keeps the schema's own message (already ours). */
function expectedText(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.startsWith('Invalid input') ? `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}` : undefined;
    case 'invalid_value':
      return issue.values.length === 1 ? `expected ${String(issue.values[0])}` : `expected one of ${issue.values.map(String).join(', ')}`;
    case 'too_small': {
      if (!issue.message.startsWith('Too small')) return undefined;
      const bound = issue.inclusive === false ? 'more than' : 'at least';
      if (issue.origin === 'array') return `expected ${bound} ${plural(issue.minimum, 'item')}`;
      if (issue.origin === 'string')
        return Number(issue.minimum) === 1 ? 'expected a non-empty value' : `expected ${bound} ${plural(issue.minimum, 'character')}`;
      return `expected ${bound} ${issue.minimum}`;
    }
    case 'too_big': {
      if (!issue.message.startsWith('Too big')) return undefined;
      const bound = issue.inclusive === false ? 'less than' : 'at most';
      if (issue.origin === 'array') return `expected ${bound} ${plural(issue.maximum, 'item')}`;
      if (issue.origin === 'string') return `expected ${bound} ${plural(issue.maximum, 'character')}`;
      return `expected ${bound} ${issue.maximum}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'expected an http:// or https:// URL';
      return issue.message.startsWith('Invalid') ? `expected a value of the form ${issue.format}` : undefined;
    case 'invalid_union': {
      // Each alternative refused the value at its root: say what each would take.
      const wanted = issue.errors.flatMap((branch) => branch.filter((i) => i.path.length === 0).map((i) => expectedText(i)?.replace(/^expected /, '')));
      return wanted.every((w) => w !== undefined) && wanted.length > 0 ? `expected ${[...new Set(wanted)].join(' or ')}` : undefined;
    }
    case 'invalid_key':
      return issue.issues.map((i) => expectedText(i) ?? i.message).join('; ');
    default:
      return undefined;
  }
}

export function zodProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(issue.path);
      return issue.keys.map((key) => {
        const near = nearestKey(key, valid);
        const hint = near
          ? `did you mean \`${near}\`?`
          : valid.length > 0
            ? `expected one of ${valid.map((k) => `\`${k}\``).join(', ')}`
            : 'check its spelling and where it sits in the file';
        return { path: formatPath([...issue.path, key]), message: `unknown field; ${hint}` };
      });
    }
    const message = expectedText(issue) ?? issue.message;
    const input = (issue as { input?: unknown }).input;
    const echo =
      input === undefined
        ? issue.code === 'invalid_type'
          ? ', got nothing'
          : ''
        : typeof input === 'string' && message.includes(shown(input))
          ? ''
          : `, got ${shown(input)}`;
    return [{ path: formatPath(issue.path), message: `${message}${echo}` }];
  });
}
