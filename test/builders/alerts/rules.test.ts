import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { durationSeconds } from '../../../src/conventions/duration.js';
import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE, FLOW_LABEL } from '../../../src/conventions/labels.js';
import { ALERT_NAME_PREFIX, SLO_SERIES, signalAlertName, WATCHDOG_ALERT } from '../../../src/conventions/names.js';
import { ALERT_FILES, RULE_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import { signal } from '../../../src/model/model.js';
import { connectorLabel } from '../../../src/model/topology.js';
import { promtoolRunner } from './promtool-run.js';
import { expandTemplate, FAULT_AT_S, healthyTopology, type Scenario, STEP_S, testGroup } from './promtool-tests.js';
import { alertOf, faultScenarios, MIN, noisyScenarios } from './scenarios.js';
import { sliFrom, sloFiresAt, sloFiringAt } from './slo-expect.js';

const model = loadModel();
const bundle = buildBundle(model);
const topo = healthyTopology(model);
const promtool = promtoolRunner(model, bundle, topo);
afterAll(() => promtool.cleanup());
const { dir, ruleFileNames, groupOrder, run } = promtool;

interface RuleFile {
  groups: {
    name: string;
    rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
  }[];
}
const rulesOf = (path: string) => (parse(bundle.get(path)!) as RuleFile).groups.flatMap((g) => g.rules);
const signalAlerts = rulesOf(ALERT_FILES.alerts).filter((r) => r.alert && r.alert !== WATCHDOG_ALERT);

const faults = faultScenarios(model, topo);
const tierFor = (id: Parameters<typeof signal>[1]) => durationSeconds(signal(model, id).tiers.critical!.for);
const promtoolTest = (name: string, scenarios: readonly Scenario[]) => promtool.test(name, scenarios);

describe('generated rule files', () => {
  it('are split by concern and all end in rules.yaml (the rule_files glob and the checks rely on it)', () => {
    const files = [...bundle.keys()].filter((p) => p.startsWith('alerts/') && p.endsWith('.yaml'));
    expect(files.filter((p) => p.endsWith('rules.yaml')).sort()).toEqual([...RULE_FILES].sort());
  });

  it('pass promtool check rules', () => {
    const r = run('promtool', ['check', 'rules', ...ruleFileNames]);
    expect(r.output).not.toMatch(/FAILED/);
    expect(r.status, r.output).toBe(0);
  });

  it('name every alert MM2..., with a severity, a signal, a runbook link and a templated description', () => {
    for (const r of [...signalAlerts, ...rulesOf(ALERT_FILES.slo).filter((x) => x.alert)]) {
      expect(r.alert!.startsWith(ALERT_NAME_PREFIX)).toBe(true);
      expect(r.alert === WATCHDOG_ALERT ? ['none'] : ['warning', 'critical']).toContain(r.labels!.severity);
      expect(r.labels!.signal).toBeTruthy();
      expect(r.annotations!.runbook_url?.startsWith(`${model.prometheus.runbookBaseUrl}#`)).toBe(true);
      expect(r.annotations!.summary).toMatch(/^[A-Z].*\.$/);
      expect(r.annotations!.description).toContain('{{ $value');
      // Flow alerts say which flow; cluster alerts name the cluster.
      expect(r.annotations!.description).toContain(r.expr.startsWith('mm2_cluster') ? model.prometheus.cluster : `{{ $labels.${FLOW_LABEL} }}`);
    }
  });

  it("have one alert per signal and tier of the model, with the tier's threshold and for", () => {
    const expected = model.signals.flatMap((s) => (['critical', 'warning'] as const).filter((sev) => s.tiers[sev]).map((sev) => ({ s, sev })));
    expect(signalAlerts.map((r) => r.alert).sort()).toEqual(expected.map(({ s, sev }) => signalAlertName(s.id, sev)).sort());
    const names = (kinds: readonly string[]) =>
      model.flows
        .flatMap((f) => kinds.map((k) => connectorLabel(f.connectors[k as keyof typeof f.connectors])))
        .sort()
        .join('|');
    for (const { s, sev } of expected) {
      const rule = signalAlerts.find((r) => r.alert === signalAlertName(s.id, sev))!;
      // A tier about some connectors only selects them; a sparse signal is read as its last value over the rate window.
      const kinds = s.def.tierConnectors?.[sev];
      const connector = kinds ? `, connector${kinds.length === 1 ? '=' : '=~'}"${names(kinds)}"` : '';
      const series = `${s.def.record}{cluster="${model.groupLabels.cluster}"${connector}, job="${model.groupLabels.job}"}`;
      const value = 'sparse' in s.def && s.def.sparse ? `last_over_time(${series}[${model.prometheus.rateWindow}])` : series;
      expect(rule.expr).toBe(`${value} ${s.def.direction === 'above' ? '>=' : '<'} ${s.tiers[sev]!.threshold}`);
      expect(rule.for).toBe(s.tiers[sev]!.for);
      for (const label of s.def.by) expect(rule.annotations!.description).toContain(`{{ $labels.${label} }}`);
      // What a pager shows names where to act: the flow, and the connector/task/worker the alert is about.
      for (const label of [...(s.def.scope === 'flow' ? [FLOW_LABEL] : []), ...s.def.by])
        expect(rule.annotations!.summary, rule.alert).toContain(`{{ $labels.${label} }}`);
    }
  });

  it('print burn-rate factors and the budget without float noise', () => {
    const text = bundle.get(ALERT_FILES.slo)!;
    expect(text).not.toMatch(/\d\.\d*0000000\d|\d\.\d*9999999\d/);
    for (const t of model.sla.burnRateTiers)
      expect(text).toContain(`${SLO_SERIES.burnRate(t.longWindow)}{cluster="${model.groupLabels.cluster}", job="${model.groupLabels.job}"} > ${t.factor}`);
  });
});

describe('promtool test rules on simulated faults and noise', () => {
  it('has a fault scenario for every alert of every signal tier, criticals firing within 2 min of the fault', () => {
    const covered = new Set(faults.map((f) => f.target.alertname));
    expect(signalAlerts.map((r) => r.alert).filter((a) => !covered.has(a!))).toEqual([]);
    for (const f of faults.filter((x) => x.target.severity === 'critical')) expect(f.target.firesAfterS, f.name).toBeLessThanOrEqual(2 * MIN);
  });

  it("fires each fault's alert when expected and nothing before the fault", () => {
    const cp = topo.flow.connectors.checkpoint;
    // The checkpoint connector's failure, with its full annotations: the description names the connector.
    const cpFault = faults.find((f) => f.target.alertname === signalAlertName('failedTasks', 'warning') && f.target.labels.connector === cp.name)!;
    const rule = signalAlerts.find((r) => r.alert === cpFault.target.alertname)!;
    const labels = { alertname: cpFault.target.alertname, ...cpFault.target.labels };
    const annotations = Object.fromEntries(Object.entries(rule.annotations!).map(([k, v]) => [k, expandTemplate(v, labels, 1)]));
    expect(annotations.description).toContain(cp.name);
    const withAnnotations: Scenario = {
      ...cpFault,
      name: `${cpFault.name} (annotations)`,
      alertTests: [
        { at: FAULT_AT_S + cpFault.target.firesAfterS, alertname: cpFault.target.alertname, alerts: [{ labels: cpFault.target.labels, annotations }] },
      ],
    };
    // The SLO: a stall makes the flow unavailable from its first bad evaluation, confirmed one
    // debounce later (the model's debounceEvaluations), and the burn-rate alerts fire when the model's replay says.
    const stall = faults.find((f) => f.target.alertname === signalAlertName('replicationStalled', 'critical'))!;
    const outage = sliFrom(FAULT_AT_S);
    const unavailableFrom = FAULT_AT_S + (model.sla.debounceEvaluations - 1) * STEP_S;
    const pageAt = sloFiresAt(model, outage, 'fast', FAULT_AT_S + 10 * MIN)!;
    expect(pageAt - FAULT_AT_S, 'the fast page fires within 2 min of a total outage').toBeLessThanOrEqual(2 * MIN);
    const stalledAt = FAULT_AT_S + tierFor('replicationStalled');
    const flow = `{cluster=${JSON.stringify(model.groupLabels.cluster)}, ${FLOW_LABEL}=${JSON.stringify(topo.flow.id)}, job=${JSON.stringify(model.groupLabels.job)}}`;
    const at = (t: number) => ({ at: t, firing: [...(t >= stalledAt ? [stall.target] : []), ...sloFiringAt(model, outage, t)], exact: true });
    const slo: Scenario = {
      ...stall,
      name: 'a stall burns the error budget',
      durationS: pageAt + 2 * STEP_S,
      checks: [at(FAULT_AT_S), at(unavailableFrom + STEP_S), at(pageAt - STEP_S), at(pageAt)],
      exprChecks: [
        { at: unavailableFrom - STEP_S, expr: SLO_SERIES.unavailable, samples: [{ labels: `${SLO_SERIES.unavailable}${flow}`, value: 0 }] },
        { at: unavailableFrom, expr: SLO_SERIES.unavailable, samples: [{ labels: `${SLO_SERIES.unavailable}${flow}`, value: 1 }] },
        // Counted whole: every evaluation from the fault on, against the whole period's budget in seconds.
        {
          at: pageAt,
          expr: SLO_SERIES.errorBudgetRemaining,
          samples: [
            {
              labels: `${SLO_SERIES.errorBudgetRemaining}${flow}`,
              value: 1 - (((pageAt - unavailableFrom) / STEP_S + 1) * STEP_S) / model.sla.errorBudgetSecondsPerPeriod,
            },
          ],
        },
      ],
    };
    // Prometheus starts before the targets are discovered: the availability alerts fire on "nothing
    // runs" (rightly: nothing is observed), but no data is not downtime: the SLI stays 0.
    const discoveredAt = 3 * MIN;
    const startup: Scenario = {
      name: 'Prometheus runs before the targets are discovered',
      durationS: discoveredAt + 12 * MIN,
      fault: (_s, t, h) => (t < discoveredAt ? undefined : h),
      checks: [
        { at: discoveredAt - STEP_S, firing: [alertOf(model, 'workersUp', 'critical')], exact: false },
        { at: discoveredAt + 12 * MIN, firing: [], exact: true },
      ],
      exprChecks: [
        { at: discoveredAt + 12 * MIN, expr: `max_over_time(${SLO_SERIES.unavailable}[${discoveredAt / MIN + 12}m])`, samples: [{ labels: flow, value: 0 }] },
      ],
    };
    // The watchdog fires from the first evaluation on, whatever the data.
    const watchdog: Scenario = {
      name: 'the watchdog always fires',
      durationS: 2 * MIN,
      fault: () => undefined,
      checks: [],
      exprChecks: [0, MIN, 2 * MIN].map((at) => ({
        at,
        expr: `ALERTS{alertname="${WATCHDOG_ALERT}", alertstate="firing"}`,
        samples: [
          {
            labels: `ALERTS{alertname="${WATCHDOG_ALERT}", alertstate="firing", cluster="${model.groupLabels.cluster}", job="${model.groupLabels.job}", ${BUNDLE_LABEL}="${BUNDLE_LABEL_VALUE}", severity="none", signal="watchdog"}`,
            value: 1,
          },
        ],
      })),
    };
    const r = promtoolTest('scenarios', [...faults, withAnnotations, slo, startup, watchdog]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  }, 300_000);

  it('fires nothing on blips, restarts or idle topics', () => {
    const r = promtoolTest('noise', noisyScenarios(topo));
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  }, 300_000);

  it("catches a rule that cannot fire (the tuning guide's `.*mirror.*` connector filter)", () => {
    const broken = bundle.get(ALERT_FILES.recording)!.replaceAll(`connector="${topo.flow.connectors.source.name}"`, 'connector=~".*mirror.*"');
    writeFileSync(join(dir, 'broken.rules.yaml'), broken);
    const scenario = faults.find((f) => f.target.alertname === signalAlertName('activeRecords', 'critical'))!;
    const file = 'broken.test.yaml';
    writeFileSync(
      join(dir, file),
      stringify({
        rule_files: ['broken.rules.yaml', ...ruleFileNames.slice(1)],
        evaluation_interval: `${STEP_S}s`,
        group_eval_order: groupOrder,
        tests: [testGroup(model, topo, scenario)],
      }),
    );
    const r = run('promtool', ['test', 'rules', file]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(scenario.target.alertname);
  });
});
