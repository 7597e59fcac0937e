import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusServer, startPrometheus } from '../../bench/lib/prometheus.js';
import { buildBundle } from '../../src/bundle/bundle.js';
import { durationSeconds } from '../../src/conventions/duration.js';
import { RULE_FILES } from '../../src/documents/paths.js';
import { loadModel } from '../../src/model/load.js';
import type { Model } from '../../src/model/model.js';
import type { GeneratedFile } from '../../src/reader/read.js';
import { readRules } from '../../src/reader/read.js';
import { findPint, PINT_CONFIG, runPint } from '../../src/validate/pint.js';
import { ExporterEndpoint } from '../e2e/exporter-server.js';
import { activeTargets, waitFor } from '../e2e/prometheus-api.js';
import { writePrometheusSetup } from '../e2e/prometheus-setup.js';
import { SimulatedConnectCluster } from '../e2e/simulated-cluster.js';
import { serveSimulatedCluster } from '../e2e/simulated-exporter.js';

/**
 * pint's online checks (promql/series, promql/rate, promql/counter, alerts/absent,
 * promql/vector_matching, ...) against a real Prometheus that runs the bundle and scrapes three
 * simulated MM2 workers, as the end-to-end test does: the committed .pint.hcl plus a prometheus
 * block pointing at that server. Intervals are shortened through the model's overrides.
 */
describe('pint online, against Prometheus running the bundle', () => {
  let dir: string;
  let exporters: ExporterEndpoint[] = [];
  let prometheus: PrometheusServer | undefined;
  let model: Model;
  let files: GeneratedFile[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mm2-pint-online-'));
    exporters = await Promise.all([0, 1, 2].map(() => ExporterEndpoint.listen()));
    model = loadModel(
      {
        prometheus: {
          scrapeInterval: '2s',
          scrapeTimeout: '2s',
          evaluationInterval: '1s',
          rateWindow: '8s',
          ruleFilesDir: join(dir, 'rules'),
          fileSdPath: join(dir, 'sd.json'),
        },
        workers: exporters.map((e) => ({ host: '127.0.0.1', port: e.port })),
      },
      'pint online override',
    );
    files = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
    serveSimulatedCluster(exporters, files, new SimulatedConnectCluster(model));
    const setup = writePrometheusSetup(model, files, dir);
    // The SLO rules read windows as long as the SLO period: Prometheus must keep that much (pint's
    // promql/range_query finds it otherwise; the default retention is 15d).
    const retentionDays = Math.ceil(durationSeconds(model.sla.sloPeriod) / 86400) + 1;
    prometheus = await startPrometheus({
      configFile: setup.configFile,
      storageDir: join(dir, 'data'),
      logFile: join(dir, 'prometheus.log'),
      args: [`--storage.tsdb.retention.time=${retentionDays}d`],
    });
    await waitFor('three targets up', 30_000, async () =>
      (await activeTargets(prometheus!)).filter((t) => t.health === 'up').length === 3 ? true : undefined,
    );
    // Every rate window filled and recorded at least a few times.
    await new Promise((r) => setTimeout(r, (durationSeconds(model.prometheus.rateWindow) + 4) * 1000));
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(exporters.map((e) => e.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing unexplained in the rule files', async () => {
    const pint = findPint();
    if (!pint) throw new Error('pint is needed: bash .ci/setup installs it');
    if (!prometheus) throw new Error('prometheus did not start');
    const config = join(dir, 'pint-online.hcl');
    // This server is seconds old: pint must look back over its short life at a step shorter
    // than a scrape, or its range queries (5m steps over 7 days by default) see no series at all.
    const committed = readFileSync(PINT_CONFIG, 'utf8');
    const seriesBlock = 'check "promql/series" {';
    expect(committed).toContain(seriesBlock);
    const online = committed.replace(seriesBlock, `${seriesBlock}\n  lookbackRange = "10m"\n  lookbackStep  = "1s"`);
    writeFileSync(config, `${online}\nprometheus "bundle" {\n  uri      = "${prometheus.url}"\n  required = true\n  timeout  = "60s"\n}\n`);
    const lint = join(dir, 'lint');
    for (const f of RULE_FILES) {
      mkdirSync(dirname(join(lint, f)), { recursive: true });
      writeFileSync(join(lint, f), files.find((x) => x.path === f)!.content);
    }
    const problems = runPint({ cwd: lint, files: [...RULE_FILES], binary: pint, config, offline: false });
    const unexplained = [];
    for (const p of problems) {
      // pint skips an alert whose recorded series is absent ("query on nonexistent series", info):
      // explained when that series exists only while its fault lasts, which the healthy
      // simulated cluster proves by not having it (a failed-task count, a stalled backlog, the
      // latency of checkpoints no group has made yet).
      const alert = /alert (\S+): query on nonexistent series/.exec(p.message)?.[1];
      const rule = alert && readRules(files).find((r) => r.kind === 'alert' && r.name === alert);
      const recorded = rule ? [...rule.reads].filter((n) => readRules(files).some((r) => r.kind === 'record' && r.name === n)) : [];
      if (p.check === 'promql/series' && p.severity === 'info' && recorded.length > 0) {
        const present = await Promise.all(
          recorded.map(async (n) => (await prometheus!.api<{ result: unknown[] }>('query', { query: `count(last_over_time(${n}[1h]))` })).result.length > 0),
        );
        if (present.every((x) => !x)) continue;
      }
      unexplained.push(`${p.file}: ${p.message}`);
    }
    expect(unexplained).toEqual([]);
  });
});
