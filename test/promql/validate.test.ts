import { describe, expect, it, vi } from 'vitest';
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
      expect(
        d.filter((x) => x.kind === 'syntax'),
        expr,
      ).not.toEqual([]);
      expect(
        d.some((x) => x.from >= expr.length - 1),
        expr,
      ).toBe(true);
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

  it("analyses the whole expression even when the editor's 20 ms parse budget runs out (a busy machine)", () => {
    // Each clock read advances 25 ms: the budget the editor gives its first parse expires after
    // one step, as it does under load. The analyser then read a partial tree: it missed
    // errors past the cut and reported type errors that were not there.
    let now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => (now += 25));
    try {
      const late = validatePromql('sum by (job) (up{job="a"}) + rate(up{job="a"})');
      expect(late.map((d) => d.kind)).toEqual(['type']);
      expect(late[0]!.message).toMatch(/expected type matrix in call to function "rate"/);
      expect(validatePromql('sum by (connector, task) (rate(kafka_connect_source_task_metrics_source_record_poll_total{job="mm2-connect"}[1m]))')).toEqual([]);
    } finally {
      clock.mockRestore();
    }
  });
});
