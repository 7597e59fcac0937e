import { type ExporterConfig, type ExporterRule, safeName } from '../../metrics/jmx-exporter.js';
import {
  KAFKA_FAMILIES,
  KAFKA_METRIC_KEYS,
  KAFKA_SOURCES,
  type KafkaFamily,
  type KafkaFamilyId,
  type KafkaTag,
  PER_PARTITION_FAMILIES,
} from '../../metrics/kafka-sources.js';
import { mbean } from '../../metrics/mbean-catalog.js';
import { METRICS, type MetricKey, NOT_FROM_MBEAN_RULES } from '../../metrics/names.js';
import type { Model } from '../../model/model.js';
import { replicationConsumerClientId } from '../../model/topology.js';
import { escapeRegex } from '../../promql/matcher.js';

/**
 * The JMX exporter (1.x java agent) configuration of the Connect workers: one rule per metric
 * of the label contract (names.ts), each matching exactly one attribute of one MBean family,
 * so that the exporter produces those series and nothing else.
 *
 * How the patterns are written, and why:
 * - property values are captured with `([^,>]+)`, never `(.+)`, which would swallow the
 *   properties after it (target="B, group=g, topic=t, partition=0");
 * - MirrorSourceConnector's `source` property is optional, `(?:, source=([^,>]+))?`: Kafka 3.7
 *   registers it only with add.source.alias.to.metrics=true, Kafka 4.x always; one rule serves
 *   both, and the label is simply absent on 3.7;
 * - values Kafka may JMX-quote (client ids, connector names, group ids) are captured inside or
 *   outside quotes, `(?:"(...)"|([^,>]+))` with label `$n$m`, so labels never carry Kafka's
 *   quotes. Inside the quotes ObjectName.quote's escapes (`\"`, `\\`, `\*`, `\?`) are read as
 *   pairs, so a connector named `a"b` or `nemo->applicatif.MirrorSourceConnector` is captured
 *   whole; the label keeps the escapes (topology.ts exportedTagValue, which every selector uses);
 * - every pattern ends with `<>attribute: `, because patterns are not anchored and
 *   `replication-latency-ms` would otherwise also match `replication-latency-ms-max`;
 * - string attributes (status) are matched in the pattern and exported with `value: 1`;
 * - counters are typed COUNTER: 1.x strips `_total` from other types;
 * - numeric rules have `cache: true`: their patterns never read the value, so the agent keeps
 *   each attribute's match (or mismatch) across scrapes instead of running up to every rule's
 *   regex on every attribute of thousands of per-partition MBeans on every scrape. Status rules
 *   match the value and are not cached.
 */

type Capture = 'plain' | 'quotable' | 'number';

interface PropertySpec {
  readonly key: string;
  /** A custom capture may give the ObjectName value pattern (with `*` wildcards) that selects the same MBeans. */
  readonly capture: Capture | { readonly regex: string; readonly valuePattern?: string };
  readonly optional?: boolean;
}

interface Family {
  readonly id: KafkaFamilyId;
  readonly domain: string;
  readonly type: string;
  /** Properties after `type`, in ObjectName order (the 4.x superset). */
  readonly properties: readonly PropertySpec[];
}

const PLAIN = '([^,>]+)';
/** A JMX-quoted value's content: characters other than quote and backslash, or an escape pair (unrolled, so the agent's regex never recurses per character). */
const QUOTED_CONTENT = '[^"\\\\]*(?:\\\\.[^"\\\\]*)*';
const QUOTABLE = `(?:"(${QUOTED_CONTENT})"|([^,>]+))`;
const NUMBER = '([0-9]+)';
/** Connect exports AbstractStatus.State lower-cased. */
const STRING_VALUE = '([a-z]+)';

// MM2 names its replication consumer "...|<role>"; only that consumer's fetch metrics are
// exported, not those of the worker's own consumers or of MM2's offset-syncs consumers.
function replicationConsumer(model: Model): PropertySpec {
  const role = replicationConsumerClientId(model.flows[0]!, 0).split('|').at(-1)!;
  return { key: 'client-id', capture: { regex: `"(${QUOTED_CONTENT}\\|${escapeRegex(role)})"`, valuePattern: `"*|${role}"` } };
}

/** How the rules capture each Kafka tag: quoted values (client ids, connector and group names) either way, numbers as numbers. */
function propertySpec(model: Model, family: KafkaFamilyId, tag: KafkaTag): PropertySpec {
  const optional = tag.optional ? { optional: true } : {};
  if (tag.key === 'client-id' && (family === 'consumer' || family === 'consumerPartition')) return replicationConsumer(model);
  if (tag.key === 'task' || tag.key === 'partition') return { key: tag.key, capture: 'number', ...optional };
  if (tag.key === 'connector' || tag.key === 'client-id' || tag.key === 'group') return { key: tag.key, capture: 'quotable', ...optional };
  return { key: tag.key, capture: 'plain', ...optional };
}

/** The MBean families of the contract (metrics/kafka-sources.ts) with the capture of each property. */
function families(model: Model): Record<KafkaFamilyId, Family> {
  const out = {} as Record<KafkaFamilyId, Family>;
  for (const id of Object.keys(KAFKA_FAMILIES) as KafkaFamilyId[]) {
    const f: KafkaFamily = KAFKA_FAMILIES[id];
    out[id] = { id, domain: f.namespace, type: f.group, properties: f.tags.map((t) => propertySpec(model, id, t)) };
  }
  return out;
}

type FamilyId = KafkaFamilyId;

/** Where each metric of the label contract comes from: MBean family and attribute (Kafka's names). */
const SOURCES: Partial<Record<MetricKey, readonly [FamilyId, string]>> = Object.fromEntries(
  KAFKA_METRIC_KEYS.map((k) => [k, [KAFKA_SOURCES[k].family, KAFKA_SOURCES[k].name] as const]),
);

/** The bean part of a pattern, `domain<type=T, k=(...)>`, and the label template of each property. */
function beanPattern(f: Family): { pattern: string; groups: number; labels: Map<string, string> } {
  let pattern = `${escapeRegex(f.domain)}<type=${escapeRegex(f.type)}`;
  let groups = 0;
  const labels = new Map<string, string>();
  for (const p of f.properties) {
    const capture = typeof p.capture === 'object' ? p.capture.regex : { plain: PLAIN, quotable: QUOTABLE, number: NUMBER }[p.capture];
    const first = groups + 1;
    groups += p.capture === 'quotable' ? 2 : 1;
    labels.set(safeName(p.key), p.capture === 'quotable' ? `$${first}$${first + 1}` : `$${first}`);
    const fragment = `, ${escapeRegex(p.key)}=${capture}`;
    pattern += p.optional ? `(?:${fragment})?` : fragment;
  }
  return { pattern: `${pattern}>`, groups, labels };
}

function ruleFor(key: MetricKey, family: Family, attribute: string): ExporterRule {
  const metric = METRICS[key];
  const catalog = mbean(family.id).attributes.find((a) => a.name === attribute);
  if (!catalog) throw new Error(`${metric.name}: ${family.domain}:type=${family.type} has no attribute ${attribute}`);
  const bean = beanPattern(family);
  const labels: Record<string, string> = {};
  const fromValue: string[] = [];
  for (const label of metric.labels) {
    const template = bean.labels.get(label);
    if (template) labels[label] = template;
    else fromValue.push(label);
  }
  let pattern = `${bean.pattern}<>${escapeRegex(attribute)}: `;
  if (catalog.kind === 'string') {
    // The state is only usable as a label: match it, export 1.
    if (fromValue.length !== 1)
      throw new Error(`${metric.name}: a string attribute needs exactly one label for its value, got ${fromValue.join(', ') || 'none'}`);
    labels[fromValue[0]!] = `$${bean.groups + 1}`;
    pattern += STRING_VALUE;
  } else {
    if (fromValue.length > 0) throw new Error(`${metric.name}: no property of ${family.type} gives label(s) ${fromValue.join(', ')}`);
    if (catalog.kind !== metric.type) throw new Error(`${metric.name}: declared ${metric.type}, but Kafka's ${attribute} is a ${catalog.kind}`);
  }
  return {
    pattern,
    name: metric.name,
    type: metric.type === 'counter' ? 'COUNTER' : 'GAUGE',
    help: metric.help,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(catalog.kind === 'string' ? { value: 1 } : { cache: true }),
  };
}

/**
 * One rule for several numeric attributes of a per-partition family, named after the attribute
 * (`<prefix>$n`): every exported attribute of a partition's MBean is then matched by the second
 * or third rule tried instead of the k-th of dozens. Only where each metric's contract name is
 * that prefix plus the attribute's safe name (1.x appends `_total` to counters); the HELP line
 * then names the attribute, the contract's help stays in names.ts.
 */
function combinedRule(keys: readonly MetricKey[], family: Family): ExporterRule | undefined {
  if (keys.length < 2) return undefined;
  const metrics = keys.map((k) => ({ key: k, def: METRICS[k], attribute: SOURCES[k]![1] }));
  const type = metrics[0]!.def.type;
  const prefixes = new Set(
    metrics.map(({ def, attribute }) => {
      const suffix = safeName(attribute) + (def.type === 'counter' ? '_total' : '');
      return def.name.endsWith(suffix) && def.type === type ? def.name.slice(0, -suffix.length) : undefined;
    }),
  );
  const prefix = [...prefixes][0];
  if (prefixes.size !== 1 || prefix === undefined || !prefix.endsWith('_')) return undefined;
  const single = metrics.map((m) => ruleFor(m.key, family, m.attribute));
  if (new Set(single.map((r) => JSON.stringify(r.labels))).size !== 1 || single.some((r) => r.value !== undefined)) return undefined;
  const bean = beanPattern(family);
  const attribute = `$${bean.groups + 1}`;
  return {
    pattern: `${bean.pattern}<>(${metrics.map((m) => escapeRegex(m.attribute)).join('|')}): `,
    name: `${prefix}${attribute}`,
    type: type === 'counter' ? 'COUNTER' : 'GAUGE',
    help: `Kafka's ${family.type} attribute ${attribute}, per partition (its meaning: mm2-monitoring's label contract, src/metrics/names.ts).`,
    ...(single[0]!.labels ? { labels: single[0]!.labels } : {}),
    cache: true,
  };
}

/**
 * ObjectName patterns for includeObjectNames: the exporter reads only these MBeans on each scrape
 * (every attribute of each, whether a rule exports it or not). A property whose capture is
 * pinned to a suffix (the replication consumer's client id) is narrowed with an ObjectName value
 * wildcard, so that the worker's own consumers and MM2's offset-syncs consumers are not read.
 */
function objectNamePattern(f: Family): string {
  // Exact property lists where the family has no optional property: the replication consumer's
  // per-topic MBeans (client-id and topic, no partition) are then not read at all.
  const exact = f.properties.every((p) => !p.optional);
  const props = f.properties.flatMap((p) => {
    const value = typeof p.capture === 'object' && p.capture.valuePattern ? p.capture.valuePattern : '*';
    return exact ? [`${p.key}=${value}`] : value === '*' ? [] : [`${p.key}=${value}`];
  });
  return [`${f.domain}:type=${f.type}`, ...props, ...(exact ? [] : ['*'])].join(',');
}

function httpServer(model: Model): Record<string, unknown> | undefined {
  const { basicAuth, tls } = model.exporter;
  if (!basicAuth && !tls) return undefined;
  const pbkdf2 = basicAuth?.algorithm.startsWith('PBKDF2');
  return {
    ...(basicAuth && {
      authentication: {
        basic: {
          username: basicAuth.username,
          algorithm: basicAuth.algorithm,
          passwordHash: basicAuth.passwordHash,
          salt: basicAuth.salt,
          ...(pbkdf2 && basicAuth.iterations !== undefined ? { iterations: basicAuth.iterations } : {}),
          ...(pbkdf2 && basicAuth.keyLength !== undefined ? { keyLength: basicAuth.keyLength } : {}),
        },
      },
    }),
    ...(tls && {
      ssl: {
        // Resolved by the exporter from the environment (jmx_exporter >= 1.4.0): no secret in the file.
        keyStore: { filename: tls.keyStoreFile, type: tls.keyStoreType, password: `\${${tls.keyStorePasswordEnv}}` },
        ...(tls.certificateAlias ? { certificate: { alias: tls.certificateAlias } } : {}),
      },
    }),
  };
}

/** The families with an MBean per partition, in the order their rules are tried. */
const PER_PARTITION_FIRST: readonly FamilyId[] = PER_PARTITION_FAMILIES;

/**
 * The first rule of the file: it drops every attribute of the MBeans read that no rule exports
 * (an empty name drops an attribute at once). Each family's alternative is its ObjectName
 * followed by a negative lookahead of the attributes it exports, so an attribute a newer Kafka
 * adds is dropped too instead of being tried against every rule. After it, each attribute
 * reaching the other rules is exported by one of them, and a per-partition attribute by one of
 * the four rules that follow it.
 *
 * The rule is not cached: the agent never caches a match whose name is empty, and caching it
 * would add a cache entry per exported attribute besides. So the pattern is made cheap to run:
 * anchored at the start (`^` fails at once at every other position the agent's leading `.*`
 * backtracks to), property values read as `[^,>]*` without captures, the per-partition families
 * first in the alternation.
 */
function dropUnreadRule(fams: ReturnType<typeof families>, keys: readonly MetricKey[]): ExporterRule {
  // Quoted values (client ids such as "A->B|...") may hold `>` and `,`.
  const value = (p: PropertySpec) => (p.capture === 'quotable' || typeof p.capture === 'object' ? `(?:"${QUOTED_CONTENT}"|[^,>]*)` : '[^,>]*');
  const ids = [...new Set(keys.map((k) => SOURCES[k]![0]))].sort((a, b) => familyRank(a) - familyRank(b));
  const alternatives = ids.map((id) => {
    const f: Family = fams[id];
    const exported = [...new Set(keys.filter((k) => SOURCES[k]![0] === id).map((k) => SOURCES[k]![1]))];
    const props = f.properties.map((p) => (p.optional ? `(?:, ${escapeRegex(p.key)}=${value(p)})?` : `, ${escapeRegex(p.key)}=${value(p)}`)).join('');
    return `${escapeRegex(f.domain)}<type=${escapeRegex(f.type)}${props}><>(?!(?:${exported.map(escapeRegex).join('|')}): )`;
  });
  return { pattern: `^(?:${alternatives.join('|')})`, name: '' };
}

function familyRank(id: FamilyId): number {
  const i = PER_PARTITION_FIRST.indexOf(id);
  return i < 0 ? PER_PARTITION_FIRST.length : i;
}

/** The jmx_exporter configuration object (serialised as YAML by the scrape builder). */
export function buildExporterConfig(model: Model): ExporterConfig {
  const fams = families(model);
  const keys = (Object.keys(METRICS) as MetricKey[]).filter((k) => !NOT_FROM_MBEAN_RULES.includes(k));
  const missing = keys.filter((k) => !SOURCES[k]);
  if (missing.length > 0) throw new Error(`no MBean source declared for ${missing.map((k) => METRICS[k].name).join(', ')} (exporter-rules.ts SOURCES)`);
  // The agent tries the rules in order on every attribute of every MBean it reads, on every
  // scrape, until one matches; each cached rule tried costs a lookup and a cache entry. So the
  // unread attributes are dropped first, then the per-partition families' rules come, the
  // family with the most exported attributes first (bench/: rule matching, not reading MBeans,
  // is what a scrape of thousands of partitions spends its time on).
  const ordered = [...keys].sort((a, b) => familyRank(SOURCES[a]![0]) - familyRank(SOURCES[b]![0]));
  const rules: ExporterRule[] = [dropUnreadRule(fams, keys)];
  const combined = new Set<MetricKey>();
  for (const id of PER_PARTITION_FIRST) {
    for (const type of ['gauge', 'counter'] as const) {
      const group = ordered.filter((k) => SOURCES[k]![0] === id && METRICS[k].type === type);
      const rule = combinedRule(group, fams[id]);
      if (!rule) continue;
      rules.push(rule);
      for (const k of group) combined.add(k);
    }
    for (const k of ordered.filter((x) => SOURCES[x]![0] === id && !combined.has(x))) rules.push(ruleFor(k, fams[id], SOURCES[k]![1]));
  }
  for (const k of ordered.filter((x) => !PER_PARTITION_FIRST.includes(SOURCES[x]![0]))) rules.push(ruleFor(k, fams[SOURCES[k]![0]], SOURCES[k]![1]));
  const used = [...new Set(keys.map((k) => objectNamePattern(fams[SOURCES[k]![0]])))].sort();
  const server = httpServer(model);
  // No lowercaseOutput*: every name and label is written in lower case already, and the agent
  // would lower-case each sample's name and labels again on every scrape.
  return {
    ...(server ? { httpServer: server } : {}),
    includeObjectNames: used,
    rules,
  };
}

/**
 * Series the configuration exports for one more replicated partition (its MirrorSourceConnector
 * MBean and its replication consumer's partition MBean), and for one more checkpointed group
 * partition: one per metric of the label contract read from those MBean families (each
 * attribute exported once), so the figure follows the rules. The tests check it against the emulator.
 */
export function seriesPerPartition(): { replicated: number; checkpointed: number } {
  const families = Object.values(SOURCES).map(([family]) => family);
  const count = (of: readonly FamilyId[]) => families.filter((f) => of.includes(f)).length;
  return { replicated: count(['mirrorSource', 'consumerPartition']), checkpointed: count(['mirrorCheckpoint']) };
}
