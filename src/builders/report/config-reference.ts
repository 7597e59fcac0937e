import { stringify } from 'yaml';
import { CONFIG_VERSION } from '../../model/config.js';
import { configJsonSchema, OVERRIDE_SCHEMA_PATH } from '../../model/config-schema.js';
import { DEFAULT_CONFIG } from '../../model/defaults.js';
import { SEVERITIES, SIGNAL_DEFS, SIGNAL_IDS } from '../../model/signals.js';
import { code, table } from '../../text/markdown.js';
import { badWhen } from '../../text/wording.js';

/** Committed beside the JSON Schema it is generated from; a test fails when it is stale. */
export const CONFIG_REFERENCE_PATH = 'schema/CONFIGURATION.md';

type Schema = {
  type?: string;
  description?: string;
  title?: string;
  default?: unknown;
  const?: unknown;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: readonly string[];
  items?: Schema;
  anyOf?: readonly Schema[];
};

interface Row {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly drives: string;
}

/** The mapping inside a union such as `true | false | {settings}`, whose keys get rows of their own. */
const mappingOf = (s: Schema): Schema | undefined => (s.properties ? s : s.anyOf?.find((a) => a.properties));

function typeText(s: Schema): string {
  if (s.const !== undefined) return code(JSON.stringify(s.const));
  if (s.enum) return s.enum.map((v) => code(String(v))).join(' or ');
  if (s.anyOf) return s.anyOf.map(typeText).join(' or ');
  if (s.title === 'Prometheus duration') return 'duration (e.g. `30s`, `5m`)';
  switch (s.type) {
    case 'integer':
      if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) return `integer ${s.minimum ?? ''}..${s.maximum}`;
      return s.minimum !== undefined ? `integer >= ${s.minimum}` : 'integer';
    case 'array':
      return `list of ${s.items ? (s.items.properties ? 'mappings' : typeText(s.items)) : 'values'}${s.minItems ? ` (at least ${s.minItems})` : ''}`;
    case 'object':
      if (s.properties) return 'mapping';
      return typeof s.additionalProperties === 'object' ? `mapping of name to ${typeText(s.additionalProperties)}` : 'mapping';
    case undefined:
      return 'any';
    default:
      return s.type;
  }
}

function valueText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return code(value);
  return code(stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim());
}

/** The value at a key path of the defaults; lists stop the walk (their items have no defaults of their own). */
function defaultAt(path: readonly string[]): unknown {
  let node: unknown = DEFAULT_CONFIG;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Where a key sits: in an item of a list or an entry of a name-keyed mapping (no defaults
 * there), and whether its enclosing mapping comes with the defaults (then its required keys
 * have default values; otherwise they must be given with the mapping).
 */
interface Place {
  readonly path: readonly string[];
  readonly inItem: boolean;
  readonly required: boolean;
}

function rows(s: Schema, place: Place): Row[] {
  const { path, inItem } = place;
  const fromDefaults = inItem ? undefined : defaultAt(path);
  const shownDefault = place.required && fromDefaults === undefined ? 'required' : valueText(fromDefaults ?? s.default) || 'not set';
  const mapping = mappingOf(s);
  const own: Row = { key: code(path.join('.')), type: typeText(s), default: shownDefault, drives: s.description ?? '' };
  if (mapping) {
    const given = !inItem && fromDefaults !== undefined;
    const children = Object.entries(mapping.properties ?? {}).flatMap(([k, child]) =>
      rows(child, { path: [...path, k], inItem, required: !given && (mapping.required ?? []).includes(k) }),
    );
    // A mapping's own default (e.g. `false` for an opt-in output) is worth its row; a section's is its keys'.
    return [{ ...own, default: s.anyOf || place.required ? shownDefault : '' }, ...children];
  }
  const entry = s.type === 'array' ? s.items : typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (entry?.properties) {
    const last = path[path.length - 1]!;
    const item = s.type === 'array' ? `${last}[]` : `${last}.<name>`;
    return [own, ...rows(entry, { path: [...path.slice(0, -1), item], inItem: true, required: false }).slice(1)];
  }
  return [own];
}

/** One row per signal: its default tiers as the alerts compare them. */
function thresholdRows(s: Schema): Row[] {
  return SIGNAL_IDS.map((id) => {
    const def = SIGNAL_DEFS[id];
    const tiers = DEFAULT_CONFIG.thresholds[id] as Partial<Record<(typeof SEVERITIES)[number], { threshold: number; for: string }>>;
    const defaults = SEVERITIES.filter((sev) => tiers[sev]).map(
      (sev) => `${sev} ${badWhen(def.direction, tiers[sev]!.threshold, def.unit)} for ${tiers[sev]!.for}`,
    );
    return { key: code(`thresholds.${id}`), type: 'tiers', default: defaults.join('; ') || 'no tier', drives: s.properties?.[id]?.description ?? '' };
  });
}

/**
 * The reference of every key of an override file: type, default, and what it drives, read
 * from the JSON Schema (the loader's schema with its descriptions) and the defaults, so that
 * neither can change without the reference following.
 */
export function configReferenceMarkdown(): string {
  const schema = configJsonSchema() as Schema;
  const props = schema.properties ?? {};
  const sections = Object.entries(props).flatMap(([k, s]) => {
    if (k === 'thresholds') {
      const tier = Object.values(s.properties ?? {})[0]?.properties ?? {};
      const tierFields = Object.values(tier)[0];
      const tierRows = Object.entries(mappingOf(tierFields ?? {})?.properties ?? {}).map(([field, f]) => ({
        key: code(`thresholds.<signal>.<warning|critical>.${field}`),
        type: typeText(f),
        default: 'per signal, below',
        drives: f.description ?? '',
      }));
      return [
        `## ${code(k)}`,
        table(
          ['key', 'type', 'default', 'what it drives'],
          [
            { key: code(k), type: typeText(s), default: '', drives: s.description ?? '' },
            {
              key: code('thresholds.<signal>.<warning|critical>'),
              type: typeText(tierFields ?? {}),
              default: 'per signal, below',
              drives: tierFields?.description ?? '',
            },
            ...tierRows,
            ...thresholdRows(s),
          ].map((r) => [r.key, r.type, r.default, r.drives]),
        ),
      ];
    }
    return [
      `## ${code(k)}`,
      table(
        ['key', 'type', 'default', 'what it drives'],
        rows(s, { path: [k], inItem: false, required: false }).map((r) => [r.key, r.type, r.default, r.drives]),
      ),
    ];
  });
  return [
    '# Configuration reference',
    '',
    `Every key of an override file (format version ${CONFIG_VERSION}): its type, its default, and what it drives in the bundle. ` +
      `Generated from the loader's schema (src/model/config.ts) and the defaults (src/model/defaults.ts), like ${code(OVERRIDE_SCHEMA_PATH)}; ` +
      'do not edit. Every key is optional in an override file: mappings merge key by key over the defaults, lists replace the default list, and ' +
      'the keys marked "required" must be given in each item of a list and in a mapping the defaults do not set (such as `prometheus.tls`). ' +
      'Keys under `[]` belong to each item of a list, keys under `<name>` to each entry of a mapping keyed by name. ' +
      `Write this file and the schema beside your override file with ${code('npx mm2-monitoring schema [dir]')}.`,
    '',
    ...sections.flatMap((part) => [part, '']),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}
