import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildBundle } from '../../src/bundle/bundle.js';
import { loadModel } from '../../src/model/load.js';
import { validateBundle } from '../../src/validate/index.js';
import { groupLabelProblems, ruleLintProblems } from '../../src/validate/rule-lint.js';

const model = loadModel();

const good = {
  alert: 'MM2Good',
  expr: 'sum(rate(x_total[5m])) > 1',
  for: '2m',
  labels: { severity: 'critical', signal: 'x' },
  annotations: { summary: 'X is high.', description: 'X is {{ $value }}.', runbook_url: 'https://runbooks.example.com/mm2#x' },
};

/** A one-file bundle with one group holding the given rules. */
function lint(rules: object[], group: object = {}): string[] {
  const file = stringify({ groups: [{ name: 'g', interval: '15s', ...group, rules }] });
  return ruleLintProblems(new Map([['alerts/test.rules.yaml', file]]), model).map((p) => p.message);
}

describe('rule lint', () => {
  it('accepts a well-formed alert and the generated bundle', () => {
    expect(lint([good])).toEqual([]);
    expect(ruleLintProblems(buildBundle(model), model)).toEqual([]);
  });

  it('flags range windows shorter than 4 scrape intervals, in functions and subqueries', () => {
    expect(lint([{ ...good, expr: 'sum(rate(x_total[30s])) > 1' }])).toEqual([
      expect.stringContaining(
        'rate(...[30s]): the window is shorter than 4 scrape intervals (60s); a missed scrape leaves too few samples (mm2/rate-window, bug)',
      ),
    ]);
    expect(lint([{ record: 'r', expr: 'max_over_time(x[45s])' }])).toEqual([expect.stringContaining('record r: max_over_time(...[45s])')]);
    expect(lint([{ record: 'r', expr: 'deriv(x[30s:15s])' }])).toHaveLength(1);
    expect(lint([{ record: 'r', expr: 'increase(x_total[1m])' }])).toEqual([]);
  });

  it('flags alerts on up or absent() that wait less than 2 scrape intervals', () => {
    expect(lint([{ ...good, expr: 'up == 0', for: '15s' }])).toEqual([expect.stringContaining('reads up or absent() with for 15s')]);
    expect(lint([{ ...good, expr: 'absent(up{job="j"}) == 1', for: undefined }])).toEqual([expect.stringContaining('with for 0s')]);
    expect(lint([{ ...good, expr: 'up == 0', for: '30s' }])).toEqual([]);
    // Through a recording rule, as the bundle's workers-up alert reads it.
    const viaRecord = [
      { record: 'workers_up:count', expr: 'count(up == 1) or vector(0)' },
      { ...good, expr: 'workers_up:count < 1', for: '15s' },
    ];
    expect(lint(viaRecord)).toEqual([expect.stringContaining('alert MM2Good: reads up or absent() with for 15s')]);
  });

  it('rejects two alerts with the same name and labels', () => {
    expect(lint([good, { ...good, expr: 'b > 2' }])).toEqual([
      expect.stringMatching(/same name and labels as the alert in alerts\/test.rules.yaml group g: .* \(mm2\/alert-identity, bug\)$/),
    ]);
    expect(lint([good, { ...good, labels: { ...good.labels, severity: 'warning' } }])).toEqual([]);
  });

  it('runs as part of validateBundle', () => {
    const bundle = buildBundle(model);
    const bad = new Map([
      ...bundle,
      [
        'alerts/extra.rules.yaml',
        stringify({
          groups: [
            {
              name: 'x',
              rules: [
                {
                  ...good,
                  expr: `up{${Object.entries(model.groupLabels)
                    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                    .join(',')}} == 0`,
                  for: '15s',
                },
              ],
            },
          ],
        }),
      ],
    ]);
    expect(validateBundle(bad, model).filter((p) => p.file === 'alerts/extra.rules.yaml')).toEqual([
      expect.objectContaining({ check: 'mm2/up-absent-for', severity: 'bug', message: expect.stringContaining('reads up or absent() with for 15s') }),
    ]);
  });
});

describe('group-label lint (several Connect clusters in one Prometheus)', () => {
  const rules = (r: object[]) => new Map([['alerts/test.rules.yaml', stringify({ groups: [{ name: 'g', interval: '15s', rules: r }] })]]);
  const scoped = `{cluster="${model.groupLabels.cluster}", job="${model.groupLabels.job}"}`;

  it('accepts the generated bundle, also with an extra group label (env), which every rule then keeps', () => {
    expect(groupLabelProblems(buildBundle(model), model)).toEqual([]);
    const withEnv = loadModel({ prometheus: { groupLabels: ['env', 'cluster', 'job'], targetLabels: { env: 'prod' } } });
    const bundle = buildBundle(withEnv);
    expect(groupLabelProblems(bundle, withEnv)).toEqual([]);
    expect(validateBundle(bundle, withEnv)).toEqual([]);
    // A bundle built without env fails the lint of a model that groups by env: every rule drops it.
    expect(groupLabelProblems(buildBundle(model), withEnv).length).toBeGreaterThan(0);
  });

  it('fails a recording rule that drops cluster or job, and a selector that reads every cluster', () => {
    const problems = groupLabelProblems(
      rules([
        { record: 'mm2_flow:x:sum', expr: `sum(x${scoped})`, labels: { flow: 'a->b', job: model.groupLabels.job } },
        { alert: 'MM2X', expr: 'mm2_flow:x:sum > 1' },
      ]),
      model,
    ).map((p) => p.message);
    expect(problems).toEqual([
      expect.stringContaining('record mm2_flow:x:sum: drops the group label cluster'),
      expect.stringContaining('alert MM2X: selector mm2_flow:x:sum is not scoped'),
    ]);
  });
});
