import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { compareWithEmulator, recordAgent } from './agreement.js';
import { missingFromContract } from './contract.js';
import { scrape } from './exposition-parse.js';
import { within } from './faults.js';
import { writeRecordedFixture } from './fixture.js';
import { RealStack } from './stack.js';

/**
 * The exporter rules on Kafka 4.x, where MirrorSourceConnector's MBeans always carry the
 * `source` tag before `target` (the shape change that left other exporters' MM2 rules matching
 * nothing): one worker with the real agent, the three connectors and traffic.
 */

const VERSION = '4.3.1';
const MINUTE = 60_000;

describe(`the exporter rules on a real MirrorMaker 2 on Kafka ${VERSION}`, () => {
  let stack: RealStack;
  const dir = mkdtempSync(join(tmpdir(), 'mm2-real-stack-4-'));

  beforeAll(async () => {
    stack = await RealStack.create({ version: VERSION, workers: 1, dir, monitoring: false });
    await stack.startKafka();
    stack.startTraffic();
    await stack.startWorkers();
    await stack.deployConnectors();
    await stack.waitAllRunning(4 * MINUTE);
  }, 8 * MINUTE);

  afterAll(async () => {
    await stack?.stop('kill');
    if (process.env['MM2_KEEP_REAL_STACK'] === undefined) rmSync(dir, { recursive: true, force: true });
  }, 2 * MINUTE);

  const worker = () => stack.workers[0]!;
  const exporterConfig = () => parse(stack.file(SCRAPE_FILES.exporter)) as ExporterConfig;

  it(
    'produces every metric and label of the label contract, MirrorSourceConnector series with their source label',
    async () => {
      // Checkpoint MBeans appear with the first checkpoint, a few emit intervals after start.
      let missing: string[] = [];
      await within(3 * MINUTE, async () => {
        missing = missingFromContract(await scrape(worker().metricsUrl), { kafka4: true });
        return missing.length === 0;
      });
      expect(missing).toEqual([]);
      const served = await scrape(worker().metricsUrl);
      const mirror = served.filter((s) => s.name.startsWith('kafka_connect_mirror_source_connector_'));
      expect(mirror.length).toBeGreaterThan(0);
      expect(mirror.filter((s) => s.labels['source'] !== stack.flow.source)).toEqual([]);
    },
    4 * MINUTE,
  );

  it('the exporter emulator serves exactly what the real agent serves', async () => {
    const recording = await recordAgent(worker().metricsUrl, worker().jmxAddress, VERSION, exporterConfig(), dir);
    expect(compareWithEmulator(exporterConfig(), recording)).toEqual({ onlyAgent: [], onlyEmulator: [], values: [] });
    if (process.env['MM2_RECORD_FIXTURES'] === '1') writeRecordedFixture(VERSION, stack.file(SCRAPE_FILES.exporter), [recording]);
  });
});
