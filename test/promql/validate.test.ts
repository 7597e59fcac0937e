import { describe, expect, it } from 'vitest';
import { validatePromql } from '../../src/promql/validate.js';

describe('validatePromql', () => {
  it('accepts well-formed, well-typed expressions', () => {
    for (const expr of [
      'sum by (topic) (rate(kafka_connect_mirror_source_connector_record_count_total{target="applicatif"}[2m]))',
      'topk(10, max by (topic) (x >= 0)) and on (flow) group by (flow) (y{flow=~"a|b"})',
      'label_replace(clamp_min(6 - (count(up == 1) or vector(0)), 0), "connector", "c", "", "")',
      '1 - sum by (client_id) (a) / sum by (client_id) (b)',
    ]) {
      expect(validatePromql(expr), expr).toEqual([]);
    }
  });

  it('reports a syntax error inside the expression', () => {
    const d = validatePromql('sum by (topic (rate(x[5m]))');
    expect(d.length).toBeGreaterThan(0);
    expect(d.some((x) => x.kind === 'syntax')).toBe(true);
  });

  it('reports an error at the very end of the input, which the type analyser alone misses', () => {
    for (const expr of ['sum(up', 'up{job="a"', 'up +']) {
      const d = validatePromql(expr);
      expect(d.filter((x) => x.kind === 'syntax'), expr).not.toEqual([]);
      expect(d.some((x) => x.from >= expr.length - 1), expr).toBe(true);
    }
  });

  it('reports a type error: rate() of an instant vector', () => {
    const d = validatePromql('rate(kafka_connect_mirror_source_connector_record_count_total)');
    expect(d).toHaveLength(1);
    expect(d[0]!.kind).toBe('type');
    expect(d[0]!.message).toMatch(/matrix/);
  });

  it('reports a type error: a range vector where an instant vector is needed', () => {
    expect(validatePromql('sum(up[5m])').map((x) => x.kind)).toContain('type');
  });

  it('reports an empty expression', () => {
    expect(validatePromql('  ')).not.toEqual([]);
  });
});
