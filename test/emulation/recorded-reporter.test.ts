import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MBeanReading } from '../../src/emulation/exporter.js';
import { type RelabelConfig, relabelAll, type Series } from '../../src/emulation/strimzi-reporter.js';
import { KAFKA_FAMILIES, KAFKA_METRIC_KEYS, KAFKA_SOURCES, type KafkaFamilyId } from '../../src/metrics/kafka-sources.js';
import { METRICS, type MetricKey, NOT_FROM_MBEAN_RULES } from '../../src/metrics/names.js';
import { reporterRelabeling } from '../../src/metrics/strimzi-reporter.js';
import { readConnectSettings } from '../../src/reader/read.js';
import { reporterServedSeries } from '../../src/validate/reporter-series.js';
import { missingFromContract } from '../real-stack/contract.js';
import { type ReporterFixture, reporterFixtureFile } from '../real-stack/reporter.js';

/**
 * The Strimzi Metrics Reporter on a real worker, offline: what the reporters of a Kafka 3.7.2
 * Connect worker running MM2 served under the settings the bundle generates for them, beside
 * the metrics the worker registered (test/fixtures/strimzi-reporter/, rewritten by
 * `npm run fixtures:record`). Which families of the label contract it serves is read from
 * there, and must be what the README says; the reporter's emulation must reproduce it.
 */

const revive = (v: unknown): unknown => (v === 'NaN' ? NaN : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v);

function load(): ReporterFixture {
  const file = reporterFixtureFile('3.7.2');
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run fixtures:record" on the real stack`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as ReporterFixture;
  return {
    ...raw,
    workers: raw.workers.map((w) => ({
      readings: w.readings.map((r) => ({ ...r, value: revive(r.value) as MBeanReading['value'] })),
      served: w.served.map((s) => ({ ...s, value: revive(s.value) as number })),
    })),
  };
}

/** The families of the label contract as the README's table names them, with the contract's metrics of each. */
const FAMILIES: readonly { readonly family: string; readonly keys: readonly MetricKey[] }[] = (() => {
  const of = (...ids: KafkaFamilyId[]) => KAFKA_METRIC_KEYS.filter((k) => ids.includes(KAFKA_SOURCES[k].family));
  return [
    { family: 'Connect worker', keys: of('worker', 'workerConnector') },
    { family: 'Connect worker rebalances', keys: of('rebalance') },
    { family: 'connector and task status', keys: of('connector', 'task') },
    { family: 'source tasks', keys: of('sourceTask') },
    { family: 'MirrorSourceConnector, per partition', keys: of('mirrorSource') },
    { family: 'MirrorCheckpointConnector, per group partition', keys: of('mirrorCheckpoint') },
    { family: "replication consumer's lag", keys: of('consumer', 'consumerPartition') },
    { family: "producers' errors and buffers", keys: of('producer') },
    { family: 'JVM memory, GC and start time', keys: NOT_FROM_MBEAN_RULES.filter((k) => k !== 'up' && k !== 'scrapeDurationSeconds') },
  ];
})();

/** The README's table: label-contract family -> served (yes/no), between its markers. */
function readmeTable(): Record<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('<!-- reporter-families -->');
  const end = readme.indexOf('<!-- /reporter-families -->');
  if (start < 0 || end < 0) throw new Error('README.md has no reporter-families table');
  return Object.fromEntries(
    readme
      .slice(start, end)
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| label-contract family') && !l.startsWith('|---'))
      .map((l) => l.split('|').map((c) => c.trim()))
      .map((cells) => [cells[1]!, cells[3]!]),
  );
}

const key = (s: Series) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;

describe('the recording of the Strimzi Metrics Reporter on a real worker (Kafka 3.7.2)', () => {
  const fixture = load();
  const settings = new Map(Object.entries(fixture.settings));

  it('holds what the reporter served and the MM2 metrics the worker registered', () => {
    for (const w of fixture.workers) {
      expect(w.readings.some((r) => r.domain === 'kafka.connect.mirror')).toBe(true);
      expect(w.served.some((s) => s.name.startsWith('kafka_connect_mirror_'))).toBe(true);
    }
  });

  it("serves each family of the label contract, once the scrape job renames it, as the README's table says", () => {
    const stored = fixture.workers.flatMap((w) => relabelAll(w.served, reporterRelabeling() as RelabelConfig[]));
    const samples = stored.map((s) => ({ ...s, value: 1 }));
    const missing = missingFromContract(samples, { kafka4: false });
    const served = Object.fromEntries(
      FAMILIES.map(({ family, keys }) => {
        const lacks = keys.filter((k) => missing.some((m) => m.startsWith(`${METRICS[k].name} `)));
        return [family, lacks.length === 0 ? 'yes' : `no: ${lacks.map((k) => METRICS[k].name).join(', ')}`];
      }),
    );
    expect(served).toEqual(readmeTable());
  });

  it("the emulation reproduces what the real reporter served from the same metrics and settings, and 0.2.0 keeps a closed consumer's partitions", () => {
    for (const [i, w] of fixture.workers.entries()) {
      const emulated = reporterServedSeries(readConnectSettings(settings), w.readings);
      // The emulation covers Kafka's metrics; client_java's JVM and process series are the library's own.
      const real = w.served.filter((s) => Object.values(KAFKA_FAMILIES).some((f) => s.name.startsWith(f.namespace.replace(/\./g, '_'))));
      const emulatedKeys = new Set(emulated.map(key));
      const onlyReporter = real.filter((s) => !emulatedKeys.has(key(s)));
      expect(emulated.filter((s) => !real.some((r) => key(r) === key(s))).map(key), `worker ${i + 1}: registered, not served`).toEqual([]);
      // What the reporter serves beyond what is registered: the partitions a replication consumer
      // had before its task was restarted, now another consumer's (its client id is the task's, so
      // the new consumer takes over the series of the partitions it keeps). 0.2.0's close() does
      // not drop a closed client's metrics: they stay, at their last value, until the worker restarts.
      const live = new Map(
        emulated
          .filter((s) => s.labels['partition'] !== undefined)
          .map((s) => [`${s.name}/${s.labels['topic']}/${s.labels['partition']}`, s.labels['client_id']]),
      );
      for (const s of onlyReporter) {
        const owner = live.get(`${s.name}/${s.labels['topic']}/${s.labels['partition']}`);
        expect(
          owner !== undefined && owner !== s.labels['client_id'],
          `worker ${i + 1}: ${key(s)} is served and no longer registered, but its partition is not another consumer's`,
        ).toBe(true);
      }
    }
  });
});
