import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildBundle } from '../../src/bundle/bundle.js';
import { ALERT_FILES } from '../../src/bundle/paths.js';
import type { Rule } from '../../src/bundle/read.js';
import { FLOW_LABEL } from '../../src/conventions/labels.js';
import { burnRateAlertName, SLO_SERIES } from '../../src/conventions/names.js';
import { durationSeconds } from '../../src/model/duration.js';
import { loadModel } from '../../src/model/load.js';
import { SLI_DEBOUNCE_EVALUATIONS } from '../../src/model/sla.js';
import { sliInputs, sliReadsAlerts, tierBehaviour } from '../../src/report/sla.js';
import { aboutDuration, humanDuration, nearOnePercent, plural, quantity, smallPercent } from '../../src/text/wording.js';
import { reportOf, rulesOf, sectionOf, tableRows } from './helpers.js';

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
    expect(quantity(1, 'rebalances/h')).toBe('1 rebalance/h');
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

  it("adds to a tier's time to fire the interval of the rule group that records its long window, as the generated rule file sets it", () => {
    const doc = parse(buildBundle(model).get(ALERT_FILES.slo)!) as { groups: { name: string; interval: string; rules: { record?: string }[] }[] };
    const groupOf = (record: string) => doc.groups.find((g) => g.rules.some((r) => r.record === record))!;
    let lagging = 0;
    for (const t of model.sla.burnRateTiers) {
      const g = groupOf(SLO_SERIES.burnRate(t.longWindow));
      // promtool evaluates every group at every step; Prometheus evaluates this one every g.interval.
      expect(tierBehaviour(model, t).longWindowLag, t.name).toBe(durationSeconds(g.interval) - step);
      if (durationSeconds(g.interval) > step) lagging++;
    }
    // The day-long windows are the ones moved to the slower group; the fast tiers keep the evaluation interval.
    expect(lagging).toBe(model.sla.burnRateTiers.filter((t) => durationSeconds(t.longWindow) >= 86_400).length);
    expect(lagging).toBeGreaterThan(0);
    expect(tierBehaviour(model, model.sla.burnRateTiers.find((t) => t.pages)!).longWindowLag).toBe(0);
  });

  it('lists each burn-rate tier with what it pages on, how fast it fires and what it cannot see', () => {
    const rows = tableRows(sectionOf(report, '### Burn-rate tiers'));
    expect(rows.map((r) => r[1])).toEqual(model.sla.burnRateTiers.map((t) => burnRateAlertName(t.name)));
    for (const [i, t] of model.sla.burnRateTiers.entries()) {
      const b = tierBehaviour(model, t);
      expect(rows[i]!.slice(0, 5)).toEqual([
        t.name,
        b.alert,
        t.pages ? `${t.severity} (pages)` : `${t.severity} (ticket)`,
        expect.stringContaining(`> ${t.factor} over ${t.longWindow} and ${t.shortWindow}`),
        t.for,
      ]);
      expect(rows[i]![5]).toBe(
        b.longWindowLag > 0
          ? `${aboutDuration(b.firesAfter)} (${humanDuration(b.longWindowLag)} more at worst: ${t.longWindow} evaluated every ${humanDuration(b.longWindowLag + step)})`
          : aboutDuration(b.firesAfter),
      );
      // A page means "still burning now": it stops with the SLI, while a ticket outlives the outage.
      if (t.pages) expect(b.firingAfterRecovery).toBeLessThanOrEqual(step * (SLI_DEBOUNCE_EVALUATIONS - 1));
      else expect(b.firingAfterRecovery).toBeGreaterThan(step);
    }
    expect(sla).toContain('**Short outages.**');
    expect(sla).toContain('**Degraded is not down.**');
  });

  it('describes the SLI as the raw conditions its outage rule reads, never alert states, with the debounce', () => {
    const inputs = sliInputs(model, rules);
    expect(inputs.map((i) => i.signal.id)).toEqual(['connectorsNotRunning', 'failedTasks', 'replicationStalled', 'heartbeatsReplicated', 'workersUp']);
    expect(sliReadsAlerts(rules)).toBe(false);
    const section = sectionOf(report, '### SLI').join('\n');
    for (const i of inputs) expect(section).toContain(`\`${i.signal.id}\` is past its critical threshold`);
    expect(section).toContain('`connectorsNotRunning` is past its critical threshold (source connector only)');
    expect(section).toContain(`| Shortest outage counted | ${humanDuration(model.sla.minCountedOutageSeconds)} (${SLI_DEBOUNCE_EVALUATIONS} evaluations) |`);
    expect(section).toContain("never an alert's state");
  });
});

/**
 * The tier timings are computed by replaying the burn-rate rule step by step. They are only as
 * true as that replay: here each tier's generated rules run in promtool on the same outages.
 */
describe('the burn-rate timings against promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm2-sla-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const step = durationSeconds(model.prometheus.evaluationInterval);
  const flow = model.flows[0]!.id;

  it('every burn-rate alert has the shape the replay assumes: burn(long) > factor and burn(short) > factor (and, for a page, unavailable now), for `for`', () => {
    const on = [...Object.keys(model.groupLabels), FLOW_LABEL].join(', ');
    for (const t of model.sla.burnRateTiers) {
      const alert = rules.find((r) => r.kind === 'alert' && r.name === burnRateAlertName(t.name))!;
      const burning = `${SLO_SERIES.burnRate(t.longWindow)} > ${t.factor} and ${SLO_SERIES.burnRate(t.shortWindow)} > ${t.factor}`;
      // Selectors aside (the group labels), the expression is exactly the replayed one.
      expect(alert.expr.replace(/\{[^}]*\}/g, '')).toBe(t.pages ? `${burning} and on (${on}) ${SLO_SERIES.unavailable} == 1` : burning);
      expect(alert.for).toBe(t.for);
      expect(alert.labels['severity']).toBe(t.severity);
    }
    // Only the fast tier pages (issue 10): the others are tickets.
    expect(model.sla.burnRateTiers.filter((t) => t.pages).map((t) => t.name)).toEqual(['fast']);
  });

  /** The alert and the recorded series it reads, down to (not including) the SLI's raw outage series, in evaluation order: the debounce runs too. */
  function chain(alert: string): Rule[] {
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
    const a = rules.find((r) => r.kind === 'alert' && r.name === alert)!;
    visit(a);
    return [...rules.filter((r) => r.kind === 'record' && wanted.has(r.name)), a];
  }

  // The 3-day tier would take minutes of promtool time for the same check.
  const tiers = model.sla.burnRateTiers.filter((t) => durationSeconds(t.longWindow) <= 86_400);

  it.each(tiers.map((t) => [t.name, t] as const))(
    '%s tier: fires and resolves when the replay says',
    (_, t) => {
      const b = tierBehaviour(model, t);
      const history = durationSeconds(t.longWindow) / step + 1;
      const outage = b.firesAfter / step + durationSeconds(t.shortWindow) / step + 1;
      const tail = (b.firingAfterRecovery + durationSeconds(t.shortWindow)) / step;
      const start = history * step;
      const end = start + outage * step;
      const alert = b.alert;
      const outageSeries = `${SLO_SERIES.outage}{${Object.entries({ ...model.groupLabels, flow })
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}}`;
      const groupRules = chain(alert).map((r) =>
        r.kind === 'record' ? { record: r.name, expr: r.expr, labels: r.labels } : { alert: r.name, expr: r.expr, for: r.for, labels: r.labels },
      );
      writeFileSync(join(dir, `${t.name}.rules.yaml`), stringify({ groups: [{ name: 'slo', interval: `${step}s`, rules: groupRules }] }, { lineWidth: 0 }));
      const firing = [{ exp_labels: { ...rules.find((r) => r.name === alert)!.labels, ...model.groupLabels, flow } }];
      const at = (s: number) => `${s}s`;
      const test = {
        rule_files: [`${t.name}.rules.yaml`],
        evaluation_interval: `${step}s`,
        tests: [
          {
            interval: `${step}s`,
            input_series: [{ series: outageSeries, values: `0x${history - 1} 1x${outage - 1} 0x${tail}` }],
            alert_rule_test: [
              { eval_time: at(start + b.firesAfter - step), alertname: alert, exp_alerts: [] },
              { eval_time: at(start + b.firesAfter), alertname: alert, exp_alerts: firing },
              { eval_time: at(end + b.firingAfterRecovery - step), alertname: alert, exp_alerts: firing },
              // Prometheus 2 (this promtool) counts both ends of a range, Prometheus 3 (the replay) only the right one: one evaluation more at most.
              { eval_time: at(end + b.firingAfterRecovery + step), alertname: alert, exp_alerts: [] },
            ],
          },
          // The shortest outage the report says fires the tier does; one evaluation less never does.
          ...[
            [b.shortestFiringOutage / step, [{ labels: `{${FLOW_LABEL}="${flow}"}`, value: 1 }]],
            [b.shortestFiringOutage / step - 1, []],
          ].map(([bad, samples]) => ({
            interval: `${step}s`,
            input_series: [{ series: outageSeries, values: `0x${history - 1} ${Number(bad) > 0 ? `1x${Number(bad) - 1} ` : ''}0x${tail + outage}` }],
            promql_expr_test: [
              {
                expr: `max by (${FLOW_LABEL}) (max_over_time(ALERTS{alertname="${alert}", alertstate="firing"}[${(outage + tail) * step}s]))`,
                eval_time: at(start + (outage + tail) * step),
                exp_samples: samples,
              },
            ],
          })),
        ],
      };
      writeFileSync(join(dir, `${t.name}.test.yaml`), stringify(test, { lineWidth: 0 }));
      const r = spawnSync('promtool', ['test', 'rules', `${t.name}.test.yaml`], { cwd: dir, encoding: 'utf8' });
      if (r.error) throw new Error(`promtool is needed (Debian package prometheus): ${r.error.message}`);
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    },
    120_000,
  );
});
