import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CollectorResults } from '../../bench/collectors.js';
import { partitionSeries } from '../../src/builders/report/partition-series.js';
import { buildBundle } from '../../src/bundle/bundle.js';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import { collectionWarnings, MEASURED_SCRAPE, partitionsPerWorker, WARN_AT_TIMEOUT_SHARE } from '../../src/metrics/collection-cost.js';
import { METRICS } from '../../src/metrics/names.js';
import { loadModel } from '../../src/model/load.js';
import { readQueries } from '../../src/reader/read.js';
import { runCli, tempDirs } from '../cli/helpers.js';

const tempDir = tempDirs('mm2-collection-');
const flow = (partitions: number, tasksMax = 6) => ({ source: 'nemo', target: 'applicatif', partitions, connectors: { source: { tasksMax } } });

describe("collection cost: the partitions a worker's collector serves and the build's warning", () => {
  it('spreads the partitions over the tasks and the tasks over the workers, and counts the busiest worker with one worker down', () => {
    // 6 tasks on 3 workers: 2 tasks each; with one down, 3 tasks on the busiest.
    expect(partitionsPerWorker(loadModel({ flows: [flow(51_000)] }))).toEqual({ allUp: 17_000, oneDown: 25_500 });
    // One task: every partition on one worker, whatever the workers.
    expect(partitionsPerWorker(loadModel({ flows: [flow(20_000, 1)] }))).toEqual({ allUp: 20_000, oneDown: 20_000 });
    // Fewer partitions than tasks.max: one task per partition.
    expect(partitionsPerWorker(loadModel({ flows: [flow(4)] }))).toEqual({ allUp: 2, oneDown: 2 });
    expect(partitionsPerWorker(loadModel())).toBeUndefined();
  });

  it('warns when the busiest worker, one worker down, would take half the scrape timeout or more, and names the levers', () => {
    const m = MEASURED_SCRAPE['jmx-exporter'];
    // Partitions per worker (one of 3 down) at which the estimate reaches the warning share of the 10 s timeout.
    const limit = (WARN_AT_TIMEOUT_SHARE * 10 * m.partitions) / m.seconds;
    // 6 tasks on 2 workers: the busiest holds half the flow's partitions.
    const flowFor = (perWorker: number) => flow(Math.round((2 * perWorker) / 6) * 6);
    const under = loadModel({ flows: [flowFor(limit * 0.9)] });
    const over = loadModel({ flows: [flowFor(limit * 1.1)] });
    expect(collectionWarnings(under)).toEqual([]);
    const [warning] = collectionWarnings(over);
    expect(warning).toContain('with one worker down');
    expect(warning).toContain('collector: strimzi-metrics-reporter');
    expect(warning).toContain('prometheus.scrapeTimeout');
    // The same topology with a longer timeout is under the line.
    expect(
      collectionWarnings(
        loadModel({
          flows: [flowFor(limit * 1.1)],
          prometheus: { scrapeInterval: '1m', scrapeTimeout: '1m', rateWindow: '5m' },
          connect: { startupGrace: '4m' },
        }),
      ),
    ).toEqual([]);
  });

  it('build and check print the warning on stderr and still write and pass', () => {
    const dir = tempDir();
    const config = join(dir, 'big.yaml');
    writeFileSync(config, 'flows:\n  - source: nemo\n    target: applicatif\n    partitions: 200000\n    connectors: { source: { tasksMax: 6 } }\n');
    for (const command of ['build', 'check']) {
      const r = runCli([command, '--no-external', '--config', config, '--out', join(dir, 'out')]);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(
        /^mm2-monitoring: warning: flows\[\]\.partitions put about 66,668 replicated partitions on the busiest of the 3 workers \(100,002 with one worker down\)/m,
      );
    }
  });

  it('the audit lists each per-partition series with the alerts and panels that would lose their data without it', () => {
    const model = loadModel();
    const files = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
    const rows = new Map(partitionSeries(readQueries(files, model)).map((r) => [r.metric, r]));
    // One row per series the exporter serves per replicated partition (its first line says how many), and the checkpoint's.
    const perPartition = Number(/([0-9]+) series per replicated partition/.exec(files.find((f) => f.path === SCRAPE_FILES.exporter)!.content)![1]);
    expect([...rows.values()].filter((r) => r.per === 'replicated partition').length).toBe(perPartition);
    // Read by a panel only: the lever a team can weigh first.
    expect(rows.get(METRICS.mirrorByteCount.name)!.alerts).toEqual([]);
    expect(rows.get(METRICS.mirrorByteCount.name)!.panels.length).toBeGreaterThan(0);
    // Through recording rules: the lag feeds the lag alerts, and the SLO's through the stall condition.
    expect(rows.get(METRICS.consumerRecordsLag.name)!.alerts).toEqual(
      expect.arrayContaining(['MM2ReplicationLagCritical', 'MM2ReplicationStalledCritical', 'MM2SloBurnRateFast']),
    );
    expect(files.find((f) => f.path === 'alerts/THRESHOLDS.md')!.content).toContain(`| \`${METRICS.mirrorByteCount.name}\` | replicated partition | none |`);
  });

  it('the measured figures are those of the last benchmark run (bench/collectors-results.json)', () => {
    const bench = JSON.parse(readFileSync(new URL('../../bench/collectors-results.json', import.meta.url), 'utf8')) as CollectorResults;
    const largest = bench.scales.at(-1)!;
    const seconds = (id: string) => Math.round(largest.variants.find((v) => v.id === id)!.medianHttpMs / 10) / 100;
    expect(MEASURED_SCRAPE).toEqual({
      'jmx-exporter': { partitions: largest.partitions, seconds: seconds('generated') },
      'strimzi-metrics-reporter': { partitions: largest.partitions, seconds: seconds('reporter') },
    });
  });
});
