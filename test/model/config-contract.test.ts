import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RUNBOOK_PATH } from '../../src/builders/runbook/index.js';
import { buildBundle } from '../../src/bundle/bundle.js';
import { ALERT_FILES } from '../../src/documents/paths.js';
import { OVERRIDE_SCHEMA_PATH, overrideJsonSchema, overrideJsonSchemaText } from '../../src/model/config-schema.js';
import { loadModel } from '../../src/model/load.js';
import { ConfigError } from '../../src/model/problems.js';
import { readRules } from '../../src/reader/read.js';

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(overrideJsonSchema());
const schemaAccepts = (o: unknown) => validate(o);
function loaderProblems(o: unknown): string[] {
  try {
    loadModel(o, 'contract.yaml');
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => p.path);
    throw e;
  }
}
const alertsOf = (bundle: ReadonlyMap<string, string>) => readRules(bundle).filter((r) => r.kind === 'alert');

describe('the override file contract', () => {
  it("the committed JSON Schema is the one generated from the loader's schema", () => {
    expect(readFileSync(OVERRIDE_SCHEMA_PATH, 'utf8')).toBe(overrideJsonSchemaText());
  });

  it('accepts the README example and partial files, and rejects what the loader rejects for shape', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /```yaml\n(# my-env\.yaml\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const contractExample = /```yaml\n(# yaml-language-server: \$schema=\.\/schema\/mm2-monitoring\.schema\.json\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(contractExample).toBeDefined();
    const cases: [unknown, boolean][] = [
      [parse(example!), true],
      [parse(contractExample!), true],
      [{}, true],
      [{ version: 1, prometheus: { job: 'x' } }, true],
      [{ thresholds: { failedTasks: { critical: { threshold: 2 } } } }, true],
      [{ thresholds: { replicationLatencyAvg: { warning: false } } }, true],
      [{ alerting: { extraLabels: { team: 'kafka-platform' } } }, true],
      [{ output: { kubernetes: true } }, true],
      [{ prometheus: { jobb: 'x' } }, false],
      [{ version: 2 }, false],
      [{ workers: [{ port: 7072 }] }, false],
      [{ thresholds: { failedTasks: { critical: { threshold: 'one' } } } }, false],
      [{ alerting: { extraLabels: { 'team-name': 'x' } } }, false],
    ];
    for (const [file, ok] of cases) {
      expect(schemaAccepts(file), JSON.stringify(file)).toBe(ok);
      expect(loaderProblems(file).length === 0, `loader on ${JSON.stringify(file)}`).toBe(ok);
    }
  });

  it('`warning: false` switches a default tier off: no alert, no runbook section', () => {
    const bundle = buildBundle(loadModel({ thresholds: { replicationLatencyAvg: { warning: false } } }, 'off.yaml'));
    const names = alertsOf(bundle).map((a) => a.name);
    expect(names).not.toContain('MM2ReplicationLatencyAvgWarning');
    expect(names).toContain('MM2ReplicationLatencyAvgCritical');
    expect(bundle.get(RUNBOOK_PATH)).not.toContain('## MM2ReplicationLatencyAvgWarning');
    expect(alertsOf(buildBundle(loadModel())).map((a) => a.name)).toContain('MM2ReplicationLatencyAvgWarning');
  });

  it("alerting.extraLabels adds labels to every alert, never over the bundle's own", () => {
    const alerts = alertsOf(buildBundle(loadModel({ alerting: { extraLabels: { team: 'kafka-platform' } } }, 'team.yaml')));
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a.labels).toMatchObject({ team: 'kafka-platform', severity: expect.any(String) });
    expect(loaderProblems({ alerting: { extraLabels: { severity: 'page' } } })).toEqual(['alerting.extraLabels.severity']);
  });

  it('version: only the current format', () => {
    expect(loaderProblems({ version: 1 })).toEqual([]);
    expect(loaderProblems({ version: 2 })).toEqual(['version']);
  });

  it('alerting.exclude leaves an alert out and alerting.patch changes its labels and annotations, by name', () => {
    const bundle = buildBundle(
      loadModel(
        {
          alerting: {
            exclude: ['MM2RebalanceRateWarning', 'MM2SloBurnRateTicket'],
            patch: { MM2ReplicationLagWarning: { labels: { team: 'data' }, annotations: { summary: 'Lag is growing on the payment flow.' } } },
          },
        },
        'sanitize.yaml',
      ),
    );
    const alerts = alertsOf(bundle);
    expect(alerts.map((a) => a.name)).not.toContain('MM2RebalanceRateWarning');
    expect(alerts.map((a) => a.name)).not.toContain('MM2SloBurnRateTicket');
    expect(bundle.get(RUNBOOK_PATH)).not.toContain('## MM2RebalanceRateWarning');
    const patched = alerts.find((a) => a.name === 'MM2ReplicationLagWarning')!;
    expect(patched.labels).toMatchObject({ team: 'data', severity: 'warning' });
    expect(patched.annotations.summary).toBe('Lag is growing on the payment flow.');
    expect(alertsOf(buildBundle(loadModel())).length - alerts.length).toBe(2);
  });

  it('exclude and patch name alerts of the bundle; the SLO does not depend on them', () => {
    expect(loaderProblems({ alerting: { exclude: ['MM2NoSuchAlert'] } })).toEqual(['alerting.exclude[0]']);
    // The SLI reads recorded series against the thresholds, not alerts: excluding a page leaves the SLO as it is.
    expect(loaderProblems({ alerting: { exclude: ['MM2FailedTasksCritical'] } })).toEqual([]);
    const slo = (o: unknown) => parse(buildBundle(loadModel(o)).get(ALERT_FILES.slo)!) as unknown;
    expect(slo({ alerting: { exclude: ['MM2FailedTasksCritical'] } })).toEqual(slo(undefined));
    expect(loaderProblems({ alerting: { patch: { MM2NoSuchAlert: { labels: { team: 'x' } } } } })).toEqual(['alerting.patch.MM2NoSuchAlert']);
    expect(loaderProblems({ alerting: { patch: { MM2ReplicationLagWarning: { annotations: { runbook_url: 'https://x' } } } } })).toEqual([
      'alerting.patch.MM2ReplicationLagWarning.annotations.runbook_url',
    ]);
    // A tier switched off has no alert left to exclude.
    expect(loaderProblems({ thresholds: { rebalanceRate: { warning: false } }, alerting: { exclude: ['MM2RebalanceRateWarning'] } })).toEqual([
      'alerting.exclude[0]',
    ]);
  });
});
