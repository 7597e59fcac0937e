import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildExporterConfig, seriesPerPartition } from '../../../src/builders/scrape/exporter-rules.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { SCRAPE_FILES } from '../../../src/documents/paths.js';
import { type ExportedSample, emulateExporter, type MBeanReading, matchString, objectNameMatches } from '../../../src/emulation/exporter.js';
import { checkpointPartitionReadings, KAFKA_SHAPES, type KafkaShape, modelReadings, partitionReadings } from '../../../src/emulation/mbean-instances.js';
import { MBEAN_CATALOG } from '../../../src/metrics/mbean-catalog.js';
import { METRICS, type MetricKey, NOT_FROM_MBEAN_RULES } from '../../../src/metrics/names.js';
import { loadModel } from '../../../src/model/load.js';
import type { Model } from '../../../src/model/model.js';
import { ConfigError } from '../../../src/model/problems.js';
import {
  connectorLabel,
  connectorsOf,
  heartbeatEmitterFlows,
  heartbeatEmitterName,
  producerClientId,
  replicationConsumerClientId,
} from '../../../src/model/topology.js';
import { selections } from '../../../src/promql/selections.js';
import { readBundleValues, readPanelQueries, readRules } from '../../../src/reader/read.js';
import { validateBundle } from '../../../src/validate/index.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

function exported(model: Model, shape: KafkaShape): ExportedSample[] {
  return emulateExporter(buildExporterConfig(model), modelReadings(model, shape));
}

/** Metric names in a PromQL expression, found by the project's PromQL reader. */
function metricNames(expr: string): string[] {
  return [...selections(expr).names];
}

/** The PromQL of the tuning guide's sections 6.1 (one query per statement) and 7 (rule expressions). */
function seedExpressions(): string[] {
  const text = fixture('seed-sections-6-7.md');
  const blocks = [...text.matchAll(/```(promql|yaml)\n([\s\S]*?)```/g)];
  const promql = blocks.find((b) => b[1] === 'promql')![2]!;
  // A statement continues on lines that start with whitespace.
  const statements = promql
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .reduce<string[]>((acc, l) => {
      // A continuation line (indented) joins the statement before it.
      if (/^\s/.test(l) && acc.length) acc[acc.length - 1] = `${acc.at(-1)} ${l.trim()}`;
      else acc.push(l);
      return acc;
    }, []);
  const rules = parse(blocks.find((b) => b[1] === 'yaml')![2]!) as { groups: { rules: { expr: string }[] }[] };
  return [...statements, ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr))];
}

/** Metrics the guide queries that the exporter no longer serves, and what the bundle reads for the same quantity. */
const READ_INSTEAD: Record<string, string> = {
  kafka_connect_mirror_source_connector_byte_rate: METRICS.mirrorByteCount.name,
};

/** Every metric name a panel query or a rule of the model's bundle reads. */
function bundleReads(m: Model): Set<string> {
  const files = [...buildBundle(m)].map(([path, content]) => ({ path, content }));
  return new Set([...readRules(files), ...readPanelQueries(files, m)].flatMap((x) => [...x.reads]));
}

const model = loadModel();
const fromRules = (Object.keys(METRICS) as MetricKey[]).filter((k) => !NOT_FROM_MBEAN_RULES.includes(k));

describe.each(KAFKA_SHAPES)('the generated rules on the catalog MBeans, Kafka %s shape', (shape) => {
  const samples = exported(model, shape);
  const byName = new Map<string, ExportedSample[]>();
  for (const s of samples) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);

  it("produce every metric the tuning guide's sections 6 and 7 query, or the one the bundle reads instead", () => {
    const seed = [...new Set(seedExpressions().flatMap(metricNames))];
    expect(seed.length).toBeGreaterThan(10);
    const missing = seed.filter((n) => !byName.has(n));
    // Per-partition series nobody read are not exported (names.ts); the guide's query has a counterpart the bundle reads.
    expect(missing).toEqual(Object.keys(READ_INSTEAD));
    const read = bundleReads(model);
    for (const instead of Object.values(READ_INSTEAD)) {
      expect(byName.has(instead), instead).toBe(true);
      expect(read.has(instead), instead).toBe(true);
    }
  });

  it('produce every metric of the label contract with its declared labels and type, and nothing else', () => {
    for (const key of fromRules) {
      const def = METRICS[key];
      const series = byName.get(def.name) ?? [];
      expect(series.length, def.name).toBeGreaterThan(0);
      const labels = new Set(series.flatMap((s) => Object.keys(s.labels)));
      // Kafka 3.7 registers MirrorSourceConnector MBeans without `source`: the label is absent, never empty.
      const expected = def.labels.filter((l) => !(shape === '3.7' && l === 'source' && def.name.startsWith('kafka_connect_mirror_source_')));
      expect([...labels].sort(), def.name).toEqual([...expected].sort());
      expect(new Set(series.map((s) => s.type)), def.name).toEqual(new Set([def.type]));
    }
    expect([...byName.keys()].filter((n) => !fromRules.some((k) => METRICS[k].name === n))).toEqual([]);
  });

  it('never let a capture swallow a neighbouring property or keep JMX quotes', () => {
    const values = samples.flatMap((s) => Object.values(s.labels));
    expect(values.filter((v) => /[",=]|, /.test(v))).toEqual([]);
    const consumerIds = new Set(byName.get(METRICS.consumerRecordsLagMax.name)!.map((s) => s.labels.client_id));
    const flow = model.flows[0]!;
    expect(consumerIds).toEqual(new Set(Array.from({ length: flow.connectors.source.tasksMax }, (_, t) => replicationConsumerClientId(flow, t))));
  });

  it('export every state of every connector and task through the status series', () => {
    const statuses = byName.get(METRICS.taskStatus.name)!;
    for (const c of connectorsOf(model.flows[0]!)) {
      for (let t = 0; t < c.tasksMax; t++) {
        const states = statuses.filter((s) => s.labels.connector === c.name && s.labels.task === String(t)).map((s) => s.labels.status);
        expect(states).toContain('running');
        expect(states).toContain('failed');
      }
    }
    expect(new Set(statuses.map((s) => s.value))).toEqual(new Set([1]));
  });

  it('label producer series with the client ids Connect gives its task producers', () => {
    const ids = new Set(byName.get(METRICS.producerRecordErrorTotal.name)!.map((s) => s.labels.client_id));
    for (const c of connectorsOf(model.flows[0]!)) for (let t = 0; t < c.tasksMax; t++) expect(ids).toContain(producerClientId(c, t));
  });
});

/** The heartbeat emitter of each source cluster of the model (connect/), as a connector. */
const emittersOf = (m: Model) => heartbeatEmitterFlows(m.flows).map((f) => ({ name: heartbeatEmitterName(f) }));

describe('the exporter configuration', () => {
  const config = buildExporterConfig(model);

  it('reads only the MBean families its rules use, and has no catch-all rule', () => {
    const readings = modelReadings(model, '4.x');
    const read = readings.filter((r) => config.includeObjectNames!.some((p) => objectNameMatches(p, r.domain, r.properties)));
    const families = new Set(read.map((r) => `${r.domain}:${r.properties[0]![1]}`));
    expect([...families].sort()).toEqual([
      'kafka.connect.mirror:MirrorCheckpointConnector',
      'kafka.connect.mirror:MirrorSourceConnector',
      'kafka.connect:connect-worker-metrics',
      'kafka.connect:connect-worker-rebalance-metrics',
      'kafka.connect:connector-metrics',
      'kafka.connect:connector-task-metrics',
      'kafka.connect:source-task-metrics',
      'kafka.consumer:consumer-fetch-manager-metrics',
      'kafka.producer:producer-metrics',
    ]);
    // Every include pattern reads something.
    for (const p of config.includeObjectNames!)
      expect(
        readings.some((r) => objectNameMatches(p, r.domain, r.properties)),
        p,
      ).toBe(true);
    // The first rule drops, and is the only one that does: it exports nothing.
    const [drop, ...rules] = config.rules!;
    expect(drop!.name).toBe('');
    expect(drop!.cache).toBeUndefined();
    expect(rules.filter((r) => r.name === '')).toEqual([]);
    expect(emulateExporter({ rules: [drop!] }, readings)).toEqual([]);
    // As the agent compiles a pattern: not anchored, matched against the whole string.
    const drops = (r: MBeanReading) => new RegExp(`^.*(?:${drop!.pattern}).*$`).test(matchString(r));
    // Every metric of the contract comes from exactly one rule; a rule naming its metric after
    // the attribute ($n) serves several attributes of one per-partition family.
    const producedBy = new Map<string, string[]>();
    for (const rule of rules) {
      const names = new Set(emulateExporter({ rules: [rule] }, readings).map((s) => s.name));
      expect(names.size, rule.name).toBeGreaterThan(0);
      if (!rule.name.includes('$')) expect(names.size, rule.name).toBe(1);
      for (const n of names) producedBy.set(n, [...(producedBy.get(n) ?? []), rule.pattern]);
    }
    expect([...producedBy].filter(([, by]) => by.length !== 1)).toEqual([]);
    // Of every attribute read, the drop rule matches exactly those the other rules leave
    // unexported, Kafka 3.7's and 4.x's alike: whatever reaches the cached rules is exported by one.
    for (const shape of KAFKA_SHAPES) {
      const all = modelReadings(model, shape).filter((r) => config.includeObjectNames!.some((p) => objectNameMatches(p, r.domain, r.properties)));
      const dropped = all.filter(drops);
      const kept = all.filter((r) => emulateExporter({ rules }, [r]).length > 0);
      expect(dropped.length, shape).toBeGreaterThan(kept.length);
      expect(
        dropped.filter((r) => kept.includes(r)),
        shape,
      ).toEqual([]);
      expect(dropped.length + kept.length, shape).toBe(all.length);
    }
    // An attribute a newer Kafka adds to a family read is dropped, not tried against every rule.
    const mirror = readings.find((r) => r.properties[0]![1] === 'MirrorSourceConnector')!;
    expect(drops({ ...mirror, attribute: 'some-new-attribute' })).toBe(true);
  });

  it('exports per partition only what a panel or a rule reads, and says how many in its header', () => {
    const read = bundleReads(model);
    const perPartition = fromRules.filter((k) => (METRICS[k].labels as readonly string[]).includes('partition'));
    expect(perPartition.filter((k) => !read.has(METRICS[k].name)).map((k) => METRICS[k].name)).toEqual([]);
    // Of the MirrorSourceConnector attributes Kafka registers per partition, the unread ones are left out.
    const mirror = MBEAN_CATALOG.find((e) => e.typeValue === 'MirrorSourceConnector')!.attributes.length;
    const mirrorExported = perPartition.filter((k) => METRICS[k].name.startsWith('kafka_connect_mirror_source_connector_')).length;
    expect(mirrorExported).toBeLessThan(mirror);
    const cost = seriesPerPartition();
    // The header's figure is counted from the rules; the emulator agrees, partition by partition.
    expect(emulateExporter(config, partitionReadings(model.flows[0]!, '4.x')).length).toBe(cost.replicated);
    expect(emulateExporter(config, checkpointPartitionReadings(model.flows[0]!)).length).toBe(cost.checkpointed);
    // A replicated partition: its MirrorSourceConnector series and its replication consumer's; a checkpointed group partition: the checkpoint series.
    expect(cost.replicated).toBe(perPartition.filter((k) => !(METRICS[k].labels as readonly string[]).includes('group')).length);
    expect(cost.checkpointed).toBe(perPartition.filter((k) => (METRICS[k].labels as readonly string[]).includes('group')).length);
    const header = buildBundle(model).get(SCRAPE_FILES.exporter)!.split('\n')[0]!;
    expect(header).toContain(`${cost.replicated} series per replicated partition, ${cost.checkpointed} per checkpointed consumer-group partition`);
  });

  it('serves the same series for a second flow with another replication policy and its own connector names', () => {
    const two = loadModel({
      flows: [
        { source: 'nemo', target: 'applicatif', connectors: { source: { tasksMax: 2 } } },
        { source: 'applicatif', target: 'nemo', replicationPolicy: 'identity', connectors: { source: { name: 'mm2.reverse', tasksMax: 1 } } },
      ],
    });
    const connectors = new Set(
      exported(two, '3.7')
        .filter((s) => s.name === METRICS.connectorStatus.name)
        .map((s) => s.labels.connector),
    );
    // The flows' connectors, and the heartbeat emitter of each source cluster (connect/).
    expect(connectors).toEqual(new Set([...two.flows.flatMap(connectorsOf), ...emittersOf(two)].map(connectorLabel)));
    expect(buildExporterConfig(two)).toEqual(config);
  });

  it("gives every connector, whatever name Connect accepts, the label value its selectors use, and the bundle's every selector its series", () => {
    const names = ['nemo->applicatif.MirrorSourceConnector', 'a "quoted" *name?', 'back\\slash $1 {x}|y', 'plain-name'];
    const model = loadModel({
      flows: [
        { source: 'nemo', target: 'applicatif', connectors: { source: { name: names[0] }, checkpoint: { name: names[1] }, heartbeat: { name: names[2] } } },
        { source: 'paris', target: 'applicatif', connectors: { source: { name: names[3] } } },
      ],
    });
    expect(connectorLabel({ name: names[1]! })).toBe('a \\"quoted\\" \\*name\\?');
    expect(connectorLabel({ name: names[2]! })).toBe('back\\\\slash $1 {x}|y');
    for (const shape of KAFKA_SHAPES) {
      const running = exported(model, shape).filter((s) => s.name === METRICS.connectorStatus.name && s.labels.status === 'running');
      // The flows' connectors, and the heartbeat emitter of each source cluster (connect/).
      expect(new Set(running.map((s) => s.labels.connector))).toEqual(
        new Set([...model.flows.flatMap(connectorsOf), ...emittersOf(model)].map(connectorLabel)),
      );
    }
    expect(validateBundle(readBundleValues(buildBundle(model), model), model)).toEqual([]);
  });

  it('puts basic auth and TLS in front of the exporter without any clear-text secret', () => {
    const secured = loadModel({
      exporter: {
        basicAuth: { username: 'prometheus', algorithm: 'PBKDF2WithHmacSHA256', passwordHash: 'A1:0E:4E', salt: 'pepper', iterations: 600000 },
        tls: { keyStoreFile: '/etc/kafka-connect/exporter.p12', keyStorePasswordEnv: 'EXPORTER_KEYSTORE_PASSWORD', certificateAlias: 'exporter' },
      },
      prometheus: { basicAuth: { username: 'prometheus', passwordFile: '/etc/prometheus/secrets/exporter' }, tls: { caFile: '/etc/prometheus/ca.pem' } },
    });
    const server = buildExporterConfig(secured).httpServer as Record<string, Record<string, Record<string, unknown>>>;
    expect(server.authentication!.basic).toEqual({
      username: 'prometheus',
      algorithm: 'PBKDF2WithHmacSHA256',
      passwordHash: 'A1:0E:4E',
      salt: 'pepper',
      iterations: 600000,
    });
    expect(server.ssl!.keyStore).toEqual({ filename: '/etc/kafka-connect/exporter.p12', type: 'PKCS12', password: '${EXPORTER_KEYSTORE_PASSWORD}' });
    expect(() => loadModel({ exporter: { basicAuth: { username: 'p', password: 'secret' } } })).toThrow(/exporter\.basicAuth\.password: unknown field/);
    expect(() =>
      loadModel({
        exporter: { basicAuth: { username: 'p', algorithm: 'SHA-256', passwordHash: 'ab', salt: 's', iterations: 3 } },
        prometheus: { basicAuth: { username: 'p', passwordFile: '/p' } },
      }),
    ).toThrow(ConfigError);
  });
});

describe('the MBean catalog copied into the project', () => {
  it('is the reference catalog (test/fixtures/kafka-catalog.json)', () => {
    const reference = JSON.parse(fixture('kafka-catalog.json')) as {
      domain: string;
      typeValue: string;
      keyProperties: string[];
      keyPropertiesWhenAddSourceAliasToMetrics?: string[];
      attributes: { name: string; kind: string }[];
    }[];
    const shape = (e: {
      domain: string;
      typeValue: string;
      keyProperties: readonly string[];
      kafka4?: readonly string[];
      attributes: readonly { name: string; kind: string }[];
    }) => ({
      family: `${e.domain}:${e.typeValue}:${e.keyProperties.join(',')}:${e.kafka4?.join(',') ?? ''}`,
      attributes: e.attributes.map((a) => `${a.name}/${a.kind}`).sort(),
    });
    expect(MBEAN_CATALOG.map((e) => shape({ ...e, kafka4: e.keyPropertiesKafka4 }))).toEqual(
      reference.map((e) => shape({ ...e, kafka4: e.keyPropertiesWhenAddSourceAliasToMetrics })),
    );
  });
});
