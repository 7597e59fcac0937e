import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sliInputs, sliReadsAlerts } from '../../../src/builders/report/slo-numbers.js';
import { alertBehaviour, replaySlo, sloSituations } from '../../../src/builders/report/slo-replay.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { durationSeconds } from '../../../src/conventions/duration.js';
import { FLOW_LABEL } from '../../../src/conventions/labels.js';
import { burnRateAlertName, SLO_SERIES } from '../../../src/conventions/names.js';
import { ALERT_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import type { Rule } from '../../../src/reader/read.js';
import { aboutDuration, humanDuration, nearOnePercent, plural, quantity, smallPercent } from '../../../src/text/wording.js';
import { cells, reportOf, rulesOf, sectionOf, tableRows } from './helpers.js';

const model = loadModel();
const report = reportOf(model);
const rules = rulesOf(model);
const sla = sectionOf(report, '## SLA arithmetic').join('\n');
const step = durationSeconds(model.prometheus.evaluationInterval);

describe('numbers as a person reads them', () => {
  it('rounds durations to what matters and says "about" when it rounded', () => {
    expect(aboutDuration(295.89041096)).toBe('about 4 min 56 s');
    expect(aboutDuration(3153.6)).toBe('about 52 min 34 s');
    expect(aboutDuration(3600)).toBe('1 h');
    expect(aboutDuration(180_000)).toBe('2 d 2 h');
    expect(aboutDuration(9.863)).toBe('about 9.9 s');
    expect(humanDuration(120)).toBe('2 min');
    expect(humanDuration(3599.6)).toBe('1 h');
  });

  it('writes percents with the digits that carry information, and units with singular or plural', () => {
    expect(nearOnePercent(0.999885844748858)).toBe('99.9886 %');
    expect(nearOnePercent(0.999)).toBe('99.9 %');
    expect(smallPercent(0.00164383561644)).toBe('0.164 %');
    expect(plural(1, 'error', 'errors')).toBe('1 error');
    expect(quantity(1, 'records')).toBe('1 record');
    expect(quantity(10_000, 'records')).toBe('10,000 records');
    expect(quantity(30_000, 'ms')).toBe('30,000 ms (30 s)');
    expect(quantity(1, 'rebalances')).toBe('1 rebalance');
  });
});

describe('the SLA arithmetic of the report', () => {
  it("states the defaults' SLA of 1 h a year in numbers a person reads, exact values in a footnote", () => {
    const facts = Object.fromEntries(tableRows(sla.split('\n')).map((r) => [r[0], r[1]]));
    expect(facts['SLA']).toBe('at most 1 h of downtime a year');
    expect(facts['Objective']).toBe('99.9886 % of the time [^exact]');
    expect(facts['Error budget']).toBe('0.0114 % of the time');
    expect(facts['Error budget per year']).toBe('1 h');
    expect(facts['Error budget per SLO period (30d)']).toBe('about 4 min 56 s');
    expect(sla).toContain('Rounded to 99.99 %, the objective would allow only about 52 min 34 s a year');
    const footnote = sla.split('\n').find((l) => l.startsWith('[^exact]: '))!;
    expect(footnote).toContain(`${model.sla.errorBudgetSecondsPerPeriod} s per 30d`);
    expect(footnote).toContain(`objective ${model.sla.objective}`);
  });

  it('moves with the SLA: twice the downtime, twice the budget per period', () => {
    const two = sectionOf(reportOf(loadModel({ sla: { maxDowntimePerYear: '2h' } })), '## SLA arithmetic').join('\n');
    expect(two).toContain('| Error budget per SLO period (30d) | about 9 min 52 s |');
    expect(two).toContain('99.9772 %');
  });

  it("adds to an alert's time to fire the interval of the rule group that records its long windows, as the generated rule file sets it", () => {
    const doc = parse(buildBundle(model).get(ALERT_FILES.slo)!) as { groups: { name: string; interval: string; rules: { record?: string }[] }[] };
    const groupOf = (record: string) => doc.groups.find((g) => g.rules.some((r) => r.record === record))!;
    for (const a of model.sla.burnRateAlerts) {
      // promtool evaluates every group at every step; Prometheus evaluates the slower one every g.interval.
      const slowest = Math.max(...a.tiers.map((t) => durationSeconds(groupOf(SLO_SERIES.burnRate(t.longWindow)).interval)));
      expect(alertBehaviour(model, a).longWindowLag, a.name).toBe(slowest - step);
    }
    // The day-long windows are the ones moved to the slower group; the pages keep the evaluation interval.
    expect(model.sla.burnRateAlerts.filter((a) => alertBehaviour(model, a).longWindowLag > 0).map((a) => a.name)).toEqual(['ticket']);
  });

  it('lists each burn-rate tier and alert with what it fires on, how fast and what it cannot see', () => {
    // Every table of the section: the window pairs, the alerts, the situations.
    const rows = sectionOf(report, '### Burn-rate alerts')
      .filter((l) => l.startsWith('| ') && !l.startsWith('|---'))
      .map(cells);
    const tierRows = rows.filter((r) => model.sla.burnRateTiers.some((t) => t.name === r[0]));
    expect(tierRows.map((r) => [r[0], r[1], r[2]])).toEqual(
      model.sla.burnRateTiers.map((t) => [t.name, burnRateAlertName(t.alert), t.pages ? `${t.severity} (pages)` : `${t.severity} (ticket)`]),
    );
    for (const t of model.sla.burnRateTiers) expect(tierRows.find((r) => r[0] === t.name)![3]).toContain(`burn rate > ${t.factor} over ${t.longWindow}`);
    const alertRows = rows.filter((r) => r[0]?.startsWith('MM2SloBurnRate') && r.length === 8);
    for (const a of model.sla.burnRateAlerts) {
      const b = alertBehaviour(model, a);
      const row = alertRows.find((r) => r[0] === b.name)!;
      expect(row[4]).toContain(b.firesAfter === undefined ? 'never' : aboutDuration(b.firesAfter));
      // A page fires while the flow is down and keeps firing for its short window; a ticket closes once its short windows are clean.
      if (a.pages) expect(b.firingAfterRecovery).toBeGreaterThanOrEqual(durationSeconds(a.keepFiringFor!));
      if (a.pages) expect(b.firingAfterRecovery).toBeLessThanOrEqual(durationSeconds(a.keepFiringFor!) + step * model.sla.debounceEvaluations);
    }
    // What a short counted outage does at this SLA, decided once: the shortest page is the page downtime.
    const fast = alertBehaviour(model, model.sla.burnRateAlerts.find((a) => a.name === 'fast')!);
    expect(fast.shortestFiringOutage).toBe(model.sla.pageDowntimeSeconds);
    expect(sla).toContain(`A single outage shorter than ${humanDuration(model.sla.pageDowntimeSeconds)} pages nobody through the SLO`);
    expect(sla).toContain('**Short outages.**');
    expect(sla).toContain('**Degraded is not down.**');
  });

  it('describes the SLI as the raw conditions its outage rule reads, never alert states, with the debounce', () => {
    const inputs = sliInputs(model, rules);
    expect(inputs.map((i) => i.signal.id)).toEqual([
      'connectorsNotRunning',
      'failedTasks',
      'tasksNotRunning',
      'replicationStalled',
      'heartbeatsReplicated',
      'workersUp',
    ]);
    expect(sliReadsAlerts(rules)).toBe(false);
    const section = sectionOf(report, '### SLI').join('\n');
    for (const i of inputs) expect(section).toContain(`\`${i.signal.id}\` is past its critical threshold`);
    expect(section).toContain('`connectorsNotRunning` is past its critical threshold (source connector only)');
    expect(section).toContain(
      `| Shortest outage counted | ${humanDuration(model.sla.minCountedOutageSeconds)} (${model.sla.debounceEvaluations} evaluations) |`,
    );
    expect(section).toContain("never an alert's state");
  });
});

/**
 * The burn-rate timings are computed by replaying the rules evaluation by evaluation. They are only
 * as true as that replay: here the generated SLO rules run in promtool on the same outages, and
 * each alert must fire, stay and stop when the replay says.
 */
describe('the burn-rate timings against promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm2-sla-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const flow = model.flows[0]!.id;

  it('every burn-rate alert has the shape the replay assumes', () => {
    const on = `on (${[...Object.keys(model.groupLabels), FLOW_LABEL].join(', ')})`;
    const shortGate = (t: (typeof model.sla.burnRateTiers)[number]) => `${SLO_SERIES.errorRatio(t.shortWindow)} > ${t.shortWindowRatioThreshold}`;
    for (const a of model.sla.burnRateAlerts) {
      const alert = rules.find((r) => r.kind === 'alert' && r.name === burnRateAlertName(a.name))!;
      const pair = (t: (typeof a.tiers)[number]) =>
        t.pages
          ? `${SLO_SERIES.burnRate(t.longWindow)} > ${t.factor} and ${shortGate(t)}`
          : `${SLO_SERIES.burnRate(t.longWindow)} > ${t.factor} and ${SLO_SERIES.burnRate(t.shortWindow)} > ${t.factor}`;
      const page = `${pair(a.tiers[0]!)} and ${on} ${SLO_SERIES.unavailable} == 1${a.leavesTo ? ` unless ${on} ${shortGate(a.leavesTo)}` : ''}`;
      const expected = a.pages ? page : a.tiers.length === 1 ? pair(a.tiers[0]!) : a.tiers.map((t) => `(${pair(t)})`).join(' or ');
      // Selectors aside (the group labels), the expression is exactly the replayed one.
      expect(alert.expr.replace(/\{[^}]*\}/g, '')).toBe(expected);
      expect(alert.for ?? '0s').toBe(a.for);
      expect(alert.keepFiringFor).toBe(a.keepFiringFor);
      expect(alert.labels['severity']).toBe(a.severity);
    }
    // The workbook's pairs: the 1h and 6h pairs page, the 1d and 3d pairs open one ticket.
    expect(model.sla.burnRateAlerts.filter((a) => a.pages).map((a) => a.tiers.map((t) => t.longWindow))).toEqual([['1h'], ['6h']]);
    expect(model.sla.burnRateAlerts.filter((a) => !a.pages).map((a) => a.tiers.map((t) => t.longWindow))).toEqual([['1d', '3d']]);
  });

  /** The SLO rules from the SLI's raw outage series on, in evaluation order: the debounce runs too. */
  function sloRules(): object[] {
    const wanted = new Set<string>();
    const visit = (r: Rule) => {
      for (const n of r.reads) {
        if (n === SLO_SERIES.outage || wanted.has(n)) continue;
        const rec = rules.find((x) => x.kind === 'record' && x.name === n);
        if (rec) {
          wanted.add(n);
          visit(rec);
        }
      }
    };
    const alerts = rules.filter((r) => r.kind === 'alert' && r.labels['signal'] === 'sloBurnRate');
    for (const a of alerts) visit(a);
    return [...rules.filter((r) => r.kind === 'record' && wanted.has(r.name)), ...alerts].map((r) =>
      r.kind === 'record'
        ? { record: r.name, expr: r.expr, labels: r.labels }
        : { alert: r.name, expr: r.expr, ...(r.for ? { for: r.for } : {}), ...(r.keepFiringFor ? { keep_firing_for: r.keepFiringFor } : {}), labels: r.labels },
    );
  }

  const situations = sloSituations(model);
  it.each(situations.map((s) => [s.name, s] as const))(
    '%s: each alert fires, stays and stops when the replay says',
    (_, sit) => {
      const r = replaySlo(model, sit.pattern, sit.evaluations);
      const outageSeries = `${SLO_SERIES.outage}{${Object.entries({ ...model.groupLabels, flow })
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}}`;
      const values = Array.from({ length: sit.evaluations }, (_, i) => (sit.pattern(i) ? '1' : '0'));
      const file = `${sit.start}-${sit.end}-${sit.evaluations}`;
      writeFileSync(join(dir, `${file}.rules.yaml`), stringify({ groups: [{ name: 'slo', interval: `${step}s`, rules: sloRules() }] }, { lineWidth: 0 }));
      const at = (i: number) => `${i * step}s`;
      const checks = model.sla.burnRateAlerts.flatMap((a) => {
        const name = burnRateAlertName(a.name);
        const firing = r.firing[a.name];
        const state = (i: number) => ({
          expr: `count(ALERTS{alertname="${name}", alertstate="firing"})`,
          eval_time: at(i),
          exp_samples: firing[i] ? [{ labels: '{}', value: 1 }] : [],
        });
        const starts = firing.flatMap((f, i) => (f && !firing[i - 1] ? [i] : []));
        // Prometheus 2 (this promtool) counts both ends of a range, Prometheus 3 (the replay) only the right one:
        // a firing may end one evaluation later, so the evaluation right after each end is not checked.
        const ends = firing.flatMap((f, i) => (f && !firing[i + 1] && i + 1 < firing.length ? [i] : []));
        const whole = {
          expr: `count(max_over_time(ALERTS{alertname="${name}", alertstate="firing"}[${sit.evaluations * step}s]))`,
          eval_time: at(sit.evaluations - 1),
        };
        return [
          ...(starts.length === 0 ? [{ ...whole, exp_samples: [] }] : []),
          ...starts.flatMap((i) => [state(i - 1), state(i)]),
          ...ends.flatMap((i) => [state(i), ...(i + 2 < firing.length ? [state(i + 2)] : [])]),
        ];
      });
      writeFileSync(
        join(dir, `${file}.test.yaml`),
        stringify(
          {
            rule_files: [`${file}.rules.yaml`],
            evaluation_interval: `${step}s`,
            tests: [{ interval: `${step}s`, input_series: [{ series: outageSeries, values: values.join(' ') }], promql_expr_test: checks }],
          },
          { lineWidth: 0 },
        ),
      );
      const run = spawnSync('promtool', ['test', 'rules', `${file}.test.yaml`], { cwd: dir, encoding: 'utf8' });
      if (run.error) throw new Error(`promtool is needed (Debian package prometheus): ${run.error.message}`);
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    },
    300_000,
  );
});
