import { describe, expect, it } from 'vitest';
import { ANY_VALUE, evaluateLabels, type Labels, seriesMatches as matches } from '../../src/promql/label-sets.js';
import type { Selector } from '../../src/promql/syntax.js';

const SERIES: Record<string, Labels[]> = {
  latency: [
    { __name__: 'latency', topic: 'nemo.a', partition: '0', instance: 'w1' },
    { __name__: 'latency', topic: 'nemo.b', partition: '0', instance: 'w2' },
  ],
  up: [{ __name__: 'up', instance: 'w1', job: 'mm2' }],
};

function labelsOf(expr: string): { series: Labels[]; problems: string[] } {
  const problems: string[] = [];
  const select = (sel: Selector) =>
    (SERIES[sel.matchers.find((m) => m.label === '__name__')!.value] ?? []).filter((s) => sel.matchers.every((m) => matches(m, s)));
  const v = evaluateLabels(expr, select, (p) => problems.push(p));
  return { series: v?.kind === 'vector' ? [...v.series] : [], problems };
}

describe('label sets of PromQL expressions', () => {
  it('keep the by labels of an aggregation and drop the metric name in functions', () => {
    expect(labelsOf('max by (topic) (latency >= 0)').series).toEqual([{ topic: 'nemo.a' }, { topic: 'nemo.b' }]);
    expect(labelsOf('sum(rate(latency[5m]))').series).toEqual([{}]);
    expect(labelsOf('sum without (instance, partition) (latency)').series).toEqual([{ topic: 'nemo.a' }, { topic: 'nemo.b' }]);
  });

  it('follow label_replace, vector matching and absent', () => {
    expect(labelsOf('label_replace(max(latency), "connector", "c-$1", "", "(.*)")').series).toEqual([{ connector: 'c-' }]);
    expect(labelsOf('label_replace(latency, "t", "$1", "topic", "nemo\\\\.(.*)")').series.map((s) => s.t)).toEqual(['a', 'b']);
    expect(labelsOf('latency / on (instance) group_left (job) up').series[0]).toEqual({ topic: 'nemo.a', partition: '0', instance: 'w1', job: 'mm2' });
    expect(labelsOf('latency > on (instance) up').series).toEqual([{ instance: 'w1' }, { instance: 'w2' }]);
    expect(labelsOf('absent(up{job="mm2", instance=~"w.*"})').series).toEqual([{ job: 'mm2' }]);
    expect(labelsOf('count_values("v", latency)').series).toEqual([{ v: ANY_VALUE }]);
  });

  it('report grouping and matching labels that no input series has', () => {
    expect(labelsOf('sum by (flow) (latency)').problems).toEqual(['sum by (flow) names a label that no series of its input has']);
    expect(labelsOf('latency / on (topic) up').problems).toEqual(['on (topic) names a label that no series of its input has']);
    expect(labelsOf('sum by (topic) (latency)').problems).toEqual([]);
  });

  it('let a value computed at query time satisfy any matcher', () => {
    expect(matches({ label: 'v', op: '=', value: 'x' }, { v: ANY_VALUE })).toBe(true);
    expect(matches({ label: 'v', op: '=~', value: 'x|y' }, { v: 'y' })).toBe(true);
    expect(matches({ label: 'v', op: '=~', value: 'x' }, { v: 'xx' })).toBe(false);
  });
});
