import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { DASHBOARD_FILES } from '../../../src/documents/paths.js';
import { METRICS } from '../../../src/metrics/names.js';
import { loadModel } from '../../../src/model/load.js';
import { SIGNAL_DEFS } from '../../../src/model/signals.js';
import { promtoolRunner } from './promtool-run.js';
import { healthyTopology, STEP_S } from './promtool-tests.js';

/**
 * Flows into one target never read each other's series: fan-in (paris and london into
 * dr) and overlapping aliases (nemo and nemo.eu: `nemo\..+` also matches `nemo.eu.orders`).
 */
const model = loadModel({
  flows: [
    { source: 'nemo', target: 'dr' },
    { source: 'nemo.eu', target: 'dr' },
    { source: 'london', target: 'dr' },
  ],
});
const bundle = buildBundle(model);
const promtool = promtoolRunner(model, bundle, healthyTopology(model));
afterAll(() => promtool.cleanup());

describe('flows into one target stay apart', () => {
  it("each flow's replicated-records rate counts its own topics only (promtool)", () => {
    const g = model.groupLabels;
    // Per topic: records per step. Each flow's rate is distinct, so a leak shows as a sum.
    const perStep: Record<string, number> = { 'nemo.orders': 15, 'nemo.eu.orders': 150, 'london.orders': 1500 };
    const input_series = Object.entries(perStep).map(([topic, n]) => ({
      series: `${METRICS.mirrorRecordCount.name}{cluster="${g.cluster}", instance="w:7072", job="${g.job}", partition="0", target="dr", topic="${topic}"}`,
      values: `0+${n}x80`,
    }));
    const rec = SIGNAL_DEFS.replicatedRecordsRate.record;
    const expected = (flow: string, n: number) => ({
      expr: `${rec}{flow="${flow}"}`,
      eval_time: '15m',
      exp_samples: [{ labels: `${rec}{cluster="${g.cluster}", flow="${flow}", job="${g.job}"}`, value: n / STEP_S }],
    });
    const test = {
      rule_files: promtool.ruleFileNames,
      evaluation_interval: `${STEP_S}s`,
      group_eval_order: promtool.groupOrder,
      tests: [
        { interval: `${STEP_S}s`, input_series, promql_expr_test: [expected('nemo->dr', 15), expected('nemo.eu->dr', 150), expected('london->dr', 1500)] },
      ],
    };
    writeFileSync(join(promtool.dir, 'isolation.test.yaml'), stringify(test, { lineWidth: 0 }));
    const r = promtool.run('promtool', ['test', 'rules', 'isolation.test.yaml']);
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });

  it("per-partition panels of the drill-down select each flow's own topics within $topic", () => {
    const detailed = bundle.get(DASHBOARD_FILES.detailed)!;
    expect(detailed).toContain('topic=~\\"$topic\\", topic=~\\"nemo\\\\\\\\..+\\", topic!~\\"nemo\\\\\\\\.eu\\\\\\\\..+\\"');
    expect(detailed).toContain('topic=~\\"$topic\\", topic=~\\"london\\\\\\\\..+\\"');
  });
});
