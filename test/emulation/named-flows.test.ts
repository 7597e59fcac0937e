import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildBundle } from '../../src/bundle/bundle.js';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import { emulateExporter, type MBeanReading } from '../../src/emulation/exporter.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { METRICS } from '../../src/metrics/names.js';
import { loadModel } from '../../src/model/load.js';
import {
  connectorLabel,
  connectorsOf,
  type Flow,
  producerClientIdRegex,
  remoteTopicMatchers,
  replicationConsumerClientIdRegex,
} from '../../src/model/topology.js';
import { matches } from '../../src/promql/matcher.js';
import { readBundleValues } from '../../src/reader/read.js';
import { validateBundle } from '../../src/validate/index.js';
import { compareWithEmulator } from '../real-stack/agreement.js';
import { missingFromContract } from '../real-stack/contract.js';
import { fixtureFile, type RecordedFixture } from '../real-stack/fixture.js';
import { ESCAPED_CONNECTOR_NAME, NAMED_FLOWS_OVERRIDE } from '../real-stack/named-flows.js';

/**
 * Connectors named the way Strimzi's KafkaMirrorMaker2 operator names them
 * (`nemo->applicatif.MirrorSourceConnector`), and one whose name holds every character JMX
 * escapes, on a Connect cluster attached to applicatif that runs a flow each way
 * (test/real-stack/named-flows.ts). Kafka quotes these names in its MBean names; the recording
 * (test/real-stack/record-named.ts, `npm run fixtures:record`) holds what real workers
 * registered and what the real agent served. Every label value, regex and client-id pattern
 * the model derives from the names must select exactly its flow's series, in what the agent
 * served and in what today's exporter rules make of the same MBeans.
 */

const VERSION = '4.3.1';
const revive = (v: unknown): unknown => (v === 'NaN' ? NaN : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v);

function load(): RecordedFixture {
  const file = fixtureFile(VERSION, 'named');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run fixtures:record" (test/real-stack/record-named.ts)`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RecordedFixture;
  return {
    ...raw,
    workers: raw.workers.map((w) => ({
      readings: w.readings.map((r) => ({ ...r, value: revive(r.value) as MBeanReading['value'] })),
      served: w.served.map((s) => ({ ...s, value: revive(s.value) as number })),
    })),
  };
}

type Sample = { readonly name: string; readonly labels: Readonly<Record<string, string>> };

/** The series of `metric` whose `label` the model's pattern for `flow` selects, and those of the other flows it selects too. */
function selection(samples: readonly Sample[], flows: readonly Flow[]) {
  const of = (metric: string) => samples.filter((s) => s.name === metric);
  return {
    connectors: (flow: Flow) =>
      connectorsOf(flow).map((c) => of(METRICS.connectorStatus.name).filter((s) => s.labels['connector'] === connectorLabel(c)).length),
    producers: (flow: Flow) => {
      const m = { op: '=~' as const, value: producerClientIdRegex(connectorsOf(flow)) };
      const hit = of(METRICS.producerRecordSendTotal.name).filter((s) => matches(m, s.labels['client_id'] ?? ''));
      const foreign = hit.filter((s) => !connectorsOf(flow).some((c) => (s.labels['client_id'] ?? '').startsWith(`connector-producer-${connectorLabel(c)}-`)));
      return { hit: hit.length, foreign: foreign.length };
    },
    consumers: (flow: Flow) => {
      const m = { op: '=~' as const, value: replicationConsumerClientIdRegex(flow) };
      const hit = of(METRICS.consumerRecordsLag.name).filter((s) => matches(m, s.labels['client_id'] ?? ''));
      const others = flows.filter((f) => f !== flow);
      const foreign = hit.filter((s) => others.some((o) => (s.labels['client_id'] ?? '').startsWith(`${o.source}->${o.target}|`)));
      return { hit: hit.length, foreign: foreign.length };
    },
    remoteTopics: (flow: Flow) => {
      const hit = of(METRICS.mirrorRecordCount.name).filter(
        (s) => s.labels['target'] === flow.target && remoteTopicMatchers(flow).every((m) => matches(m, s.labels['topic'] ?? '')),
      );
      return { hit: hit.length, foreign: hit.filter((s) => !(s.labels['topic'] ?? '').startsWith(`${flow.source}.`)).length };
    },
  };
}

describe(`connectors named the Strimzi way, a flow each way, on real workers (Kafka ${VERSION})`, () => {
  const fixture = load();
  const recordedConfig = parse(fixture.exporterConfig) as ExporterConfig;
  const readings = fixture.workers.flatMap((w) => w.readings);
  const served = fixture.workers.flatMap((w) => w.served);
  const model = loadModel(NAMED_FLOWS_OVERRIDE, 'named-flows');
  const todayConfig = parse(buildBundle(model).get(SCRAPE_FILES.exporter)!) as ExporterConfig;
  const today = emulateExporter(todayConfig, readings);

  it('the real workers registered the names JMX-quoted, escapes included', () => {
    const connectors = new Set(readings.filter((r) => r.properties[0]?.[1] === 'connector-metrics').map((r) => new Map(r.properties).get('connector')));
    expect(connectors).toContain('"nemo->applicatif.MirrorSourceConnector"');
    expect(connectors).toContain(`"${ESCAPED_CONNECTOR_NAME.replace(/[\\"*?]/g, '\\$&')}"`);
  });

  it('the emulator reproduces what the real agent served from those names', () => {
    for (const w of fixture.workers) {
      expect(compareWithEmulator(recordedConfig, { kafkaVersion: VERSION, ...w })).toEqual({ onlyAgent: [], onlyEmulator: [], values: [] });
    }
  });

  it.each([
    ['the real agent', served],
    ["today's exporter rules", today],
  ] as const)("%s: the whole label contract, and each flow's names select exactly its series", (_, samples) => {
    // The agent's JVM series are not rule output. The checkpoint MBeans carry no connector name or
    // client id (source, target, group, topic, partition), so the names cannot change them; this
    // recording, taken a few minutes after the live check that saw them served, holds none, and
    // the recordings of the default names (kafka-<version>.json) hold them.
    const checkpoint = METRICS.checkpointLatencyMsMax.name;
    expect(missingFromContract(samples, { kafka4: true, mbeansOnly: true }).filter((m) => !m.startsWith(`${checkpoint} `))).toEqual([]);
    const select = selection(samples, model.flows);
    for (const flow of model.flows) {
      expect(select.connectors(flow), `${flow.id}: series per connector`).toEqual([1, 1, 1]);
      const producers = select.producers(flow);
      expect(producers.hit, `${flow.id}: producers`).toBeGreaterThan(0);
      expect(producers.foreign, `${flow.id}: other connectors' producers`).toBe(0);
      const consumers = select.consumers(flow);
      expect(consumers.hit, `${flow.id}: replication consumers`).toBeGreaterThan(0);
      expect(consumers.foreign, `${flow.id}: the other flow's consumers`).toBe(0);
      const topics = select.remoteTopics(flow);
      expect(topics.hit, `${flow.id}: remote topics`).toBeGreaterThan(0);
      expect(topics.foreign, `${flow.id}: other topics`).toBe(0);
    }
  });

  it('the bundle built for these names passes every check against the series its exporter rules produce', () => {
    expect(validateBundle(readBundleValues(buildBundle(model), model), model)).toEqual([]);
  });
});
