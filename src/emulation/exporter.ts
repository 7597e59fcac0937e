/**
 * An in-process model of what the Prometheus JMX exporter (1.x, java agent) exports for a
 * set of MBean attribute readings under a given configuration. It follows the exporter's
 * source (JmxCollector.Receiver.recordBean, MatchedRule, client_java PrometheusNaming; see
 * the reference notes on the exporter): the match string, the pattern wrapped as
 * `^.*(?:pattern).*$`, first matching rule wins even when its value is then unusable, `$n`
 * substitution, name sanitising, label sorting, and 1.x's `_total` handling.
 *
 * Patterns run as JavaScript RegExp here and as java.util.regex in the exporter. The two agree
 * on the subset our rules use (classes, groups, `(?:)`, alternation, greedy quantifiers,
 * `\d \w \s \.`); constructs outside it are rejected rather than emulated wrongly.
 *
 * Emulated options: includeObjectNames, excludeObjectNames, lowercaseOutputName,
 * lowercaseOutputLabelNames, rules[].{pattern,name,labels,value,valueFactor,type,help}.
 * rules[].cache (the value is matched as `<cache>`, as the agent does).
 * Anything else that changes the output (rules without `name`, `attrNameSnakeCase`,
 * attribute filters, `inferCounterTypeFromName`) throws: the bundle does not use them.
 */

import { sortedRecord } from '../conventions/order.js';
import { type ExporterConfig, type ExporterRule, safeName } from '../metrics/jmx-exporter.js';

/** One attribute of one MBean as the exporter reads it. Property values are as Kafka registers them (JMX-quoted where Kafka quotes). */
export interface MBeanReading {
  readonly domain: string;
  /** In ObjectName order, `type` first. */
  readonly properties: readonly (readonly [string, string])[];
  readonly attribute: string;
  readonly value: number | string | boolean;
}

export type SampleType = 'counter' | 'gauge' | 'unknown';

/** One exported sample: the name as exposed (with `_total` for counters), labels sorted by name. */
export interface ExportedSample {
  readonly name: string;
  readonly type: SampleType;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const TOP_LEVEL_KEYS = new Set([
  'lowercaseOutputName',
  'lowercaseOutputLabelNames',
  'includeObjectNames',
  'excludeObjectNames',
  'rules',
  // No effect on which series exist.
  'startDelaySeconds',
  'httpServer',
]);
const RULE_KEYS = new Set(['pattern', 'name', 'type', 'help', 'labels', 'value', 'valueFactor', 'cache']);

// java.util.regex constructs JavaScript lacks or reads differently.
const NON_PORTABLE: readonly (readonly [RegExp, string])[] = [
  [/\(\?</, 'named groups and lookbehind'],
  [/\(\?>/, 'atomic groups'],
  [/\(\?[a-zA-Z-]+[):]/, 'inline flags'],
  [/\\[pPQEAZzGhHRXvV]/, 'Java-only escapes'],
  [/[*+?}]\+/, 'possessive quantifiers'],
  [/&&/, 'character class intersection'],
  [/\$\{/, 'named group references'],
];

export function assertPortablePattern(pattern: string): void {
  for (const [construct, what] of NON_PORTABLE) {
    if (construct.test(pattern)) throw new Error(`pattern uses ${what}, which the emulator cannot check like java.util.regex: ${pattern}`);
  }
}

/** Java's Double.toString for the values Kafka reports, as concatenated into the match string. */
export function javaDoubleString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  const abs = Math.abs(v);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** client_java 1.x PrometheusNaming.sanitizeMetricName: reserved suffixes are stripped, repeatedly, whatever the type. */
function stripReservedSuffixes(name: string): string {
  let out = name;
  for (;;) {
    const stripped = out.replace(/[._](total|created|bucket|info)$/, '');
    if (stripped === out || stripped === '') return out;
    out = stripped;
  }
}

/** java.util.regex.Matcher.appendReplacement: `$n` (longest valid group number), `\x` literal; unmatched groups add nothing. */
export function javaReplacement(template: string, groups: readonly (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\') {
      out += template[++i] ?? '';
    } else if (c === '$') {
      let digits = template[i + 1] ?? '';
      if (!/[0-9]/.test(digits)) throw new Error(`illegal group reference in "${template}"`);
      i++;
      while (/[0-9]/.test(template[i + 1] ?? '') && Number(digits + template[i + 1]) < groups.length) digits += template[++i];
      const n = Number(digits);
      if (n >= groups.length) throw new Error(`no group ${n} in "${template}"`);
      out += groups[n] ?? '';
    } else {
      out += c;
    }
  }
  return out;
}

function globToRegex(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

/** javax.management.ObjectName pattern matching: domain and value wildcards (`*`, `?`) and a trailing `,*` property-list pattern. */
export function objectNameMatches(pattern: string, domain: string, properties: readonly (readonly [string, string])[]): boolean {
  const colon = pattern.indexOf(':');
  if (colon < 0) throw new Error(`not an ObjectName pattern: ${pattern}`);
  if (!globToRegex(pattern.slice(0, colon)).test(domain)) return false;
  const parts = pattern.slice(colon + 1).split(',');
  const listPattern = parts.includes('*');
  const wanted = parts
    .filter((p) => p !== '*')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) throw new Error(`not an ObjectName pattern: ${pattern}`);
      return [p.slice(0, eq), globToRegex(p.slice(eq + 1))] as const;
    });
  const actual = new Map(properties);
  if (!listPattern && actual.size !== wanted.length) return false;
  return wanted.every(([key, value]) => actual.has(key) && value.test(actual.get(key)!));
}

/** The string every rule pattern is matched against: `domain<k1=v1, k2=v2><>attribute: value`. */
export function matchString(reading: MBeanReading): string {
  const props = reading.properties.map(([k, v]) => `${k}=${v}`).join(', ');
  const value = typeof reading.value === 'number' ? javaDoubleString(reading.value) : String(reading.value);
  return `${reading.domain}<${props}><>${reading.attribute}: ${value}`;
}

interface CompiledRule {
  readonly rule: ExporterRule;
  readonly regex: RegExp;
}

function compile(config: ExporterConfig): CompiledRule[] {
  for (const key of Object.keys(config)) if (!TOP_LEVEL_KEYS.has(key)) throw new Error(`exporter option "${key}" is not emulated`);
  return (config.rules ?? []).map((rule) => {
    for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) throw new Error(`rule option "${key}" is not emulated (rule ${rule.pattern})`);
    // An empty name is a rule that drops what it matches; no name at all is the default export format.
    if (!rule.pattern || rule.name === undefined) throw new Error('rules without pattern and name (the default export format) are not emulated');
    assertPortablePattern(rule.pattern);
    return { rule, regex: new RegExp(`^.*(?:${rule.pattern}).*$`) };
  });
}

function parseJavaDouble(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(NaN|Infinity)$/.test(t)) return Number(t);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) return undefined;
  return Number(t.replace(/[dDfF]$/, ''));
}

function sampleOf(config: ExporterConfig, { rule, regex }: CompiledRule, input: string, reading: MBeanReading): ExportedSample | undefined {
  const groups = [...regex.exec(input)!];
  let name = safeName(javaReplacement(rule.name, groups));
  if (config.lowercaseOutputName) name = name.toLowerCase();
  name = stripReservedSuffixes(name);
  if (name === '' || name === '_') return undefined;

  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(rule.labels ?? {})) {
    let labelName = safeName(javaReplacement(k, groups));
    if (config.lowercaseOutputLabelNames) labelName = labelName.toLowerCase();
    const labelValue = javaReplacement(v, groups);
    if (labelName !== '' && labelValue !== '') labels[labelName] = labelValue;
  }

  let value: number | undefined;
  if (rule.value !== undefined) value = parseJavaDouble(javaReplacement(String(rule.value), groups));
  else if (typeof reading.value === 'number') value = reading.value;
  else if (typeof reading.value === 'boolean') value = reading.value ? 1 : 0;
  if (value === undefined) return undefined;
  value *= rule.valueFactor ?? 1;

  const type: SampleType = rule.type === 'COUNTER' ? 'counter' : rule.type === 'GAUGE' ? 'gauge' : 'unknown';
  return { name: type === 'counter' ? `${name}_total` : name, type, labels: sortedRecord(labels), value };
}

function seriesKey(s: ExportedSample): string {
  return JSON.stringify([s.name, s.labels]);
}

/**
 * What the exporter serves for these readings. Samples that collide on name and labels get
 * the 1.x `_objectname` label (the match string up to its last colon) so that they stay distinct.
 */
export function emulateExporter(config: ExporterConfig, readings: readonly MBeanReading[]): ExportedSample[] {
  const rules = compile(config);
  const included = (r: MBeanReading) =>
    (config.includeObjectNames === undefined || config.includeObjectNames.some((p) => objectNameMatches(p, r.domain, r.properties))) &&
    !(config.excludeObjectNames ?? []).some((p) => objectNameMatches(p, r.domain, r.properties));

  const out: { sample: ExportedSample; input: string }[] = [];
  for (const reading of readings) {
    if (!included(reading)) continue;
    const input = matchString(reading);
    const cached = matchString({ ...reading, value: '<cache>' });
    const first = rules.find((r) => r.regex.test(r.rule.cache ? cached : input));
    if (!first) continue;
    const sample = sampleOf(config, first, first.rule.cache ? cached : input, reading);
    if (sample) out.push({ sample, input });
  }

  const counts = new Map<string, number>();
  for (const { sample } of out) counts.set(seriesKey(sample), (counts.get(seriesKey(sample)) ?? 0) + 1);
  return out.map(({ sample, input }) =>
    counts.get(seriesKey(sample))! > 1
      ? {
          ...sample,
          labels: sortedRecord({ ...sample.labels, _objectname: input.slice(0, input.lastIndexOf(':')) }),
        }
      : sample,
  );
}
