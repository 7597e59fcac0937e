import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load.js';
import { ConfigError } from '../../src/model/problems.js';
import { SIGNAL_IDS } from '../../src/model/signals.js';

function problemsOf(override: unknown): { path: string; message: string }[] {
  try {
    loadModel(override, 'my-env.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected the override to be rejected');
}

const flow = (source: string, target: string, extra: object = {}) => ({ source, target, ...extra });

describe('the default model', () => {
  const model = loadModel();

  it('is the tuning guide topology: one flow, three connectors named after it, 6+1+1 tasks, 3 workers on :7072', () => {
    expect(model.flows.map((f) => f.id)).toEqual(['nemo->applicatif']);
    const c = model.flows[0]!.connectors;
    expect([c.source.name, c.checkpoint.name, c.heartbeat.name]).toEqual([
      'nemo-to-applicatif-source',
      'nemo-to-applicatif-checkpoint',
      'nemo-to-applicatif-heartbeat',
    ]);
    expect([c.source.tasksMax, c.checkpoint.tasksMax, c.heartbeat.tasksMax]).toEqual([6, 1, 1]);
    expect(model.workers.map((w) => w.instance)).toEqual(['connect-worker-1:7072', 'connect-worker-2:7072', 'connect-worker-3:7072']);
    expect(model.prometheus.job).toBe('mm2-connect');
  });

  it('resolves thresholds for every declared signal', () => {
    expect(model.signals.map((s) => s.id)).toEqual(SIGNAL_IDS);
  });

  it("keeps every signal's warning less severe than its critical", () => {
    for (const s of model.signals) {
      const { warning, critical } = s.tiers;
      if (!warning || !critical) continue;
      if (s.def.direction === 'above') expect(warning.threshold, s.id).toBeLessThan(critical.threshold);
      else expect(warning.threshold, s.id).toBeGreaterThan(critical.threshold);
    }
  });
});

describe('overrides', () => {
  it('add a second flow with its own connector names, keeping the default workers', () => {
    const model = loadModel({ flows: [flow('nemo', 'applicatif', { connectors: { source: { tasksMax: 6 } } }), flow('applicatif', 'nemo')] }, 'two-flows.yaml');
    expect(model.flows.map((f) => f.id)).toEqual(['nemo->applicatif', 'applicatif->nemo']);
    expect(model.flows[1]!.connectors.heartbeat.name).toBe('applicatif-to-nemo-heartbeat');
    expect(model.workers).toHaveLength(3);
    expect(model.origin).toBe('defaults + two-flows.yaml');
  });

  it('change one threshold and leave the others at their defaults', () => {
    const base = loadModel();
    const model = loadModel({ thresholds: { replicationLatencyAvg: { critical: { threshold: 2000 } } } });
    const latency = model.signals.find((s) => s.id === 'replicationLatencyAvg')!;
    expect(latency.tiers.critical?.threshold).toBe(2000);
    expect(latency.tiers.critical?.for).toBe(base.signals.find((s) => s.id === 'replicationLatencyAvg')!.tiers.critical?.for);
    expect(latency.tiers.warning).toEqual(base.signals.find((s) => s.id === 'replicationLatencyAvg')!.tiers.warning);
  });
});

describe('bad overrides are rejected with the field path and what was expected', () => {
  const cases: { name: string; override: unknown; path: string; says: RegExp }[] = [
    { name: 'a document that is a list', override: [1, 2], path: '(root)', says: /expected a mapping/ },
    { name: 'an unknown top-level key', override: { flowz: [] }, path: 'flowz', says: /unknown field/ },
    { name: 'a misspelt nested key', override: { prometheus: { scrapeIntervall: '30s' } }, path: 'prometheus.scrapeIntervall', says: /unknown field/ },
    { name: 'flows that is not a list', override: { flows: 3 }, path: 'flows', says: /^expected a list, got 3$/ },
    { name: 'no flow at all', override: { flows: [] }, path: 'flows', says: /^expected at least 1 item, got \[\]$/ },
    {
      name: 'tasksMax as text',
      override: { flows: [flow('nemo', 'applicatif', { connectors: { source: { tasksMax: 'six' } } })] },
      path: 'flows[0].connectors.source.tasksMax',
      says: /^expected a number, got "six"$/,
    },
    {
      name: 'tasksMax of zero',
      override: { flows: [flow('nemo', 'applicatif', { connectors: { source: { tasksMax: 0 } } })] },
      path: 'flows[0].connectors.source.tasksMax',
      says: /^expected at least 1, got 0$/,
    },
    {
      name: 'a cluster alias with a space',
      override: { flows: [flow('nemo cluster', 'applicatif')] },
      path: 'flows[0].source',
      says: /expected letters, digits/,
    },
    {
      name: 'a connector name with a control character (Connect refuses it)',
      override: { flows: [flow('nemo', 'applicatif', { connectors: { source: { name: 'mm2\tsource' } } })] },
      path: 'flows[0].connectors.source.name',
      says: /without control characters/,
    },
    {
      name: 'a connector name with a trailing blank (POST /connectors would trim it)',
      override: { flows: [flow('nemo', 'applicatif', { connectors: { source: { name: 'mm2-source ' } } })] },
      path: 'flows[0].connectors.source.name',
      says: /leading or trailing blanks/,
    },
    {
      name: "a label the bundle sets itself, in our words rather than the validator's",
      override: { alerting: { extraLabels: { severity: 'page' } } },
      path: 'alerting.extraLabels.severity',
      says: /^expected a label the bundle does not set itself \(severity, signal, flow, alertname(, \w+)* are its own\), got "severity"$/,
    },
    {
      name: 'a replication policy of another name',
      override: { flows: [flow('nemo', 'applicatif', { replicationPolicy: 'custom' })] },
      path: 'flows[0].replicationPolicy',
      says: /^expected one of default, identity, got "custom"$/,
    },
    {
      name: 'output.kubernetes neither a switch nor settings',
      override: { output: { kubernetes: 'yes' } },
      path: 'output.kubernetes',
      says: /^expected true or false or a mapping of settings, got "yes"$/,
    },
    {
      name: 'a duration given as a number',
      override: { sla: { maxDowntimePerYear: 60 } },
      path: 'sla.maxDowntimePerYear',
      says: /^expected a Prometheus duration such as 30s, 5m or 1h30m, got 60$/,
    },
    {
      name: "a reverse flow on a KafkaMirrorMaker2, whose Connect cluster is attached to the first flow's target",
      override: { connect: { strimzi: 'kafkaMirrorMaker2' }, flows: [flow('nemo', 'applicatif'), flow('applicatif', 'nemo')] },
      path: 'flows[1].target',
      says: /flow applicatif->nemo writes into nemo, but a Strimzi KafkaMirrorMaker2 runs its connectors on a Connect cluster attached to their target .*here applicatif.*deploy a KafkaMirrorMaker2 attached to nemo/,
    },
    {
      name: "a flow into another cluster than the KafkaMirrorMaker2's connect.kafkaCluster",
      override: { connect: { strimzi: 'kafkaMirrorMaker2', kafkaCluster: 'nemo' }, flows: [flow('nemo', 'applicatif')] },
      path: 'flows[0].target',
      says: /here nemo \(connect\.kafkaCluster\)/,
    },
    {
      name: "a connector name on a KafkaMirrorMaker2 other than the operator's",
      override: { connect: { strimzi: 'kafkaMirrorMaker2' }, flows: [flow('nemo', 'applicatif', { connectors: { source: { name: 'mm2-source' } } })] },
      path: 'flows[0].connectors.source.name',
      says: /^expected "nemo->applicatif\.MirrorSourceConnector", the name Strimzi's KafkaMirrorMaker2 operator gives this connector/,
    },
    { name: 'a flow onto itself', override: { flows: [flow('nemo', 'nemo')] }, path: 'flows[0].target', says: /other than the source/ },
    {
      name: 'the same flow twice',
      override: { flows: [flow('nemo', 'applicatif'), flow('nemo', 'applicatif')] },
      path: 'flows[1]',
      says: /duplicate flow nemo->applicatif/,
    },
    {
      name: 'two connectors with one name',
      override: { flows: [flow('nemo', 'applicatif'), flow('nemo', 'backup', { connectors: { source: { name: 'nemo-to-applicatif-source' } } })] },
      path: 'flows[1].connectors.source.name',
      says: /duplicate connector name/,
    },
    {
      name: 'a duration in words',
      override: { thresholds: { replicationLatencyAvg: { critical: { threshold: 1000, for: '2 minutes' } } } },
      path: 'thresholds.replicationLatencyAvg.critical.for',
      says: /not a Prometheus duration/,
    },
    {
      name: 'a threshold as text',
      override: { thresholds: { failedTasks: { critical: { threshold: 'one' } } } },
      path: 'thresholds.failedTasks.critical.threshold',
      says: /^expected a number, got "one"$/,
    },
    {
      name: 'an unknown signal',
      override: { thresholds: { latency: { warning: { threshold: 1, for: '1m' } } } },
      path: 'thresholds.latency',
      says: /unknown field/,
    },
    {
      name: 'warning above critical on a high-is-bad signal',
      override: { thresholds: { replicationLatencyAvg: { warning: { threshold: 1500 } } } },
      path: 'thresholds.replicationLatencyAvg',
      says: /warning \(1500\) to be less severe than critical \(1000\)/,
    },
    {
      name: 'warning below critical on a low-is-bad signal',
      override: { thresholds: { replicationRatio: { warning: { threshold: 90 } } } },
      path: 'thresholds.replicationRatio',
      says: /less severe.*warning > critical/,
    },
    {
      name: 'a low-is-bad percent threshold above 100',
      override: { thresholds: { replicationRatio: { warning: { threshold: 150 }, critical: { threshold: 120 } } } },
      path: 'thresholds.replicationRatio.warning.threshold',
      says: /always fires/,
    },
    {
      name: 'a threshold above what the signal can reach',
      override: { thresholds: { connectorsNotRunning: { critical: { threshold: 2 } } } },
      path: 'thresholds.connectorsNotRunning.critical.threshold',
      says: /can never fire/,
    },
    {
      name: 'a threshold that always fires',
      override: { thresholds: { failedTasks: { critical: { threshold: 0 } } } },
      path: 'thresholds.failedTasks.critical.threshold',
      says: /always fires/,
    },
    {
      name: 'a scrape timeout longer than the interval',
      override: { prometheus: { scrapeTimeout: '30s' } },
      path: 'prometheus.scrapeTimeout',
      says: /at most scrapeInterval/,
    },
    {
      name: 'a rate window under 4 scrape intervals',
      override: { prometheus: { rateWindow: '30s' } },
      path: 'prometheus.rateWindow',
      says: /at least 4 scrape intervals/,
    },
    { name: 'a port out of range', override: { exporter: { port: 70000 } }, path: 'exporter.port', says: /^expected at most 65535, got 70000$/ },
    {
      name: 'a clear-text exporter password',
      override: { exporter: { basicAuth: { username: 'prom', password: 'secret' } } },
      path: 'exporter.basicAuth.password',
      says: /unknown field/,
    },
    { name: 'a runbook base that is not a URL', override: { prometheus: { runbookBaseUrl: 'wiki/mm2' } }, path: 'prometheus.runbookBaseUrl', says: /URL/i },
    { name: 'a job name with a quote', override: { prometheus: { job: 'mm2"connect' } }, path: 'prometheus.job', says: /without quotes/ },
    { name: 'no worker', override: { workers: [] }, path: 'workers', says: /^expected at least 1 item, got \[\]$/ },
    {
      name: 'the same worker twice',
      override: { workers: [{ host: 'w1' }, { host: 'w1', port: 7072 }] },
      path: 'workers[1]',
      says: /duplicate worker w1:7072/,
    },
    { name: 'a worker host with a scheme', override: { workers: [{ host: 'http://w1' }] }, path: 'workers[0].host', says: /host name/ },
    { name: 'a relative rule directory', override: { prometheus: { ruleFilesDir: 'rules' } }, path: 'prometheus.ruleFilesDir', says: /absolute path/ },
    {
      name: 'aliases that differ only by punctuation (colliding receivers)',
      override: {
        flows: [
          { source: 'a.b', target: 'dr' },
          { source: 'a-b', target: 'dr' },
        ],
      },
      path: 'flows[1]',
      says: /flow a-b->dr and flows\[0\] \(a\.b->dr\) differ only by punctuation/,
    },
    {
      name: 'identity replication fan-in (no topic pattern tells the flows apart)',
      override: {
        flows: [
          { source: 'paris', target: 'dr', replicationPolicy: 'identity' },
          { source: 'london', target: 'dr' },
        ],
      },
      path: 'flows[0].replicationPolicy',
      says: /paris->dr uses replicationPolicy identity into dr, which also receives london->dr \(flows\[1\]\)/,
    },
    {
      name: 'a group label without a value',
      override: { prometheus: { groupLabels: ['cluster', 'job', 'env'] } },
      path: 'prometheus.groupLabels[2]',
      says: /value for group label env in prometheus.targetLabels/,
    },
    {
      name: 'group labels without job',
      override: { prometheus: { groupLabels: ['cluster', 'env'], targetLabels: { env: 'prod' } } },
      path: 'prometheus.groupLabels',
      says: /expected job among the group labels/,
    },
    {
      name: 'an extra target label the bundle sets itself',
      override: { prometheus: { targetLabels: { instance: 'x' } } },
      path: 'prometheus.targetLabels.instance',
      says: /other than job, instance/,
    },
    {
      name: 'an SLA of more downtime than a year has',
      override: { sla: { maxDowntimePerYear: '400d' } },
      path: 'sla.maxDowntimePerYear',
      says: /less than a year/,
    },
  ];

  it.each(cases)('$name -> $path', ({ override, path, says }) => {
    const problems = problemsOf(override);
    const hit = problems.find((p) => p.path === path);
    expect(hit, `problems were: ${JSON.stringify(problems)}`).toBeDefined();
    expect(hit!.message).toMatch(says);
  });

  it('accepts identity replication when the flow is alone into its target', () => {
    expect(() =>
      loadModel({
        flows: [
          { source: 'paris', target: 'dr', replicationPolicy: 'identity' },
          { source: 'dr', target: 'paris' },
        ],
      }),
    ).not.toThrow();
  });

  it('names the file in the error message', () => {
    expect(() => loadModel({ flows: 3 }, 'envs/prod.yaml')).toThrow(/^envs\/prod\.yaml: flows: /);
  });

  it('reports every problem of the file at once, not only the first', () => {
    const problems = problemsOf({ exporter: { port: 0 }, prometheus: { job: '' } });
    expect([...new Set(problems.map((p) => p.path))].sort()).toEqual(['exporter.port', 'prometheus.job']);
  });

  it.each([
    { override: { thresholdz: {} }, path: 'thresholdz', near: 'thresholds' },
    { override: { prometheus: { scrapeIntervall: '30s' } }, path: 'prometheus.scrapeIntervall', near: 'scrapeInterval' },
    { override: { prometheus: { Job: 'x' } }, path: 'prometheus.Job', near: 'job' },
    { override: { thresholds: { replicationLatencyAgv: {} } }, path: 'thresholds.replicationLatencyAgv', near: 'replicationLatencyAvg' },
    { override: { flows: [flow('nemo', 'applicatif', { conectors: {} })] }, path: 'flows[0].conectors', near: 'connectors' },
    {
      override: { flows: [flow('nemo', 'applicatif', { connectors: { source: { taskMax: 2 } } })] },
      path: 'flows[0].connectors.source.taskMax',
      near: 'tasksMax',
    },
  ])('an unknown key suggests the nearest valid one: $path -> $near', ({ override, path, near }) => {
    const hit = problemsOf(override).find((p) => p.path === path);
    expect(hit?.message).toBe(`unknown field; did you mean \`${near}\`?`);
  });

  it("an unknown key inside a switch-or-settings field suggests the settings' nearest key", () => {
    const hit = problemsOf({ output: { kubernetes: { namspace: 'monitoring' } } }).find((p) => p.path === 'output.kubernetes.namspace');
    expect(hit?.message).toBe('unknown field; did you mean `namespace`?');
  });

  it('an unknown alert name suggests the nearest alert, not all of them', () => {
    const hit = problemsOf({ alerting: { exclude: ['MM2ReplicationLatencyWarning'] } }).find((p) => p.path === 'alerting.exclude[0]');
    expect(hit?.message).toMatch(/got MM2ReplicationLatencyWarning: did you mean MM2ReplicationLatency(Avg|Max)Warning\?/);
    expect(hit?.message.match(/MM2[A-Za-z]+/g)?.length).toBeLessThanOrEqual(3);
  });

  it('an alert name like no alert names the three nearest', () => {
    const hit = problemsOf({ alerting: { patch: { MM2Everything: { labels: { team: 'x' } } } } }).find((p) => p.path === 'alerting.patch.MM2Everything');
    expect(hit?.message).toMatch(/got MM2Everything: the nearest are MM2\w+, MM2\w+, MM2\w+ \(alerts\/THRESHOLDS\.md lists every alert\)$/);
  });

  it('an unknown key like no valid one lists the valid keys there', () => {
    const hit = problemsOf({ exporter: { zzzzzz: 1 } }).find((p) => p.path === 'exporter.zzzzzz');
    expect(hit?.message).toBe('unknown field; expected one of `port`, `basicAuth`, `tls`');
  });

  it.each([
    {
      override: { flows: [flow('nemo', 'applicatif', { connectors: { source: { tasksMax: 'six' } } })] },
      path: 'flows[0].connectors.source.tasksMax',
      echo: 'got "six"',
    },
    { override: { exporter: { port: 70000 } }, path: 'exporter.port', echo: 'got 70000' },
    { override: { prometheus: { job: 'mm2"connect' } }, path: 'prometheus.job', echo: 'got "mm2\\"connect"' },
    { override: { flows: 3 }, path: 'flows', echo: 'got 3' },
    { override: { prometheus: { runbookBaseUrl: 'wiki/mm2' } }, path: 'prometheus.runbookBaseUrl', echo: 'got "wiki/mm2"' },
  ])('a bad value is echoed: $path', ({ override, path, echo }) => {
    const hit = problemsOf(override).find((p) => p.path === path);
    expect(hit?.message).toContain(echo);
  });

  it('names the override file by its base name in the model, whatever path reached it', () => {
    const override = { prometheus: { job: 'mm2-prod' } };
    const origins = ['my-env.yaml', './my-env.yaml', '/etc/mm2/my-env.yaml', '../envs/../envs/my-env.yaml'].map((source) => loadModel(override, source).origin);
    expect(new Set(origins)).toEqual(new Set(['defaults + my-env.yaml']));
  });
});
