import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/model/duration.js';
import { deriveSla } from '../../src/model/sla.js';

describe('SLA arithmetic', () => {
  const sla = deriveSla({ maxDowntimePerYear: parseDuration('1h'), sloPeriod: parseDuration('30d'), evaluationInterval: parseDuration('15s') });

  it('turns 1 h of downtime a year into a 99.9886 % objective', () => {
    expect((sla.objective * 100).toFixed(4)).toBe('99.9886');
    expect(sla.errorBudgetRatio).toBeCloseTo(3600 / (365 * 86400), 15);
  });

  it('gives about 296 s of error budget per 30 days', () => {
    expect(Math.round(sla.errorBudgetSecondsPerPeriod)).toBe(296);
    expect(sla.errorBudgetSecondsPerYear).toBe(3600);
  });

  it('derives the burn-rate factors from the budget share and the period (14.4, 6, 3, 1 for 30 d)', () => {
    expect(sla.burnRateTiers.map((t) => [t.name, t.factor])).toEqual([
      ['fast', 14.4],
      ['slow', 6],
      ['ticket', 3],
      ['drift', 1],
    ]);
  });

  it('prints thresholds without binary floating-point noise', () => {
    // 8h45m36s is exactly 0.1 % of a year: 14.4 * 0.001 is 0.014400000000000001 in raw float64.
    const tidy = deriveSla({ maxDowntimePerYear: parseDuration('8h45m36s'), sloPeriod: parseDuration('30d'), evaluationInterval: parseDuration('15s') });
    expect(tidy.errorBudgetRatio).toBe(0.001);
    expect(tidy.objective).toBe(0.999);
    expect(tidy.burnRateTiers.map((t) => t.errorRatioThreshold)).toEqual([0.0144, 0.006, 0.003, 0.001]);
    expect(
      String(
        deriveSla({ maxDowntimePerYear: parseDuration('1h'), sloPeriod: parseDuration('28d'), evaluationInterval: parseDuration('15s') }).burnRateTiers[0]!
          .factor,
      ),
    ).toBe('13.44');
  });

  it('moves with the SLA: 8 h a year is a 99.9087 % objective', () => {
    const loose = deriveSla({ maxDowntimePerYear: parseDuration('8h'), sloPeriod: parseDuration('30d'), evaluationInterval: parseDuration('15s') });
    expect((loose.objective * 100).toFixed(4)).toBe('99.9087');
    expect(loose.burnRateTiers[0]!.errorRatioThreshold).toBeCloseTo((14.4 * 8 * 3600) / (365 * 86400), 12);
  });

  it('drops tiers whose long window exceeds a short SLO period', () => {
    const short = deriveSla({ maxDowntimePerYear: parseDuration('1h'), sloPeriod: parseDuration('2d'), evaluationInterval: parseDuration('15s') });
    expect(short.burnRateTiers.map((t) => t.name)).toEqual(['fast', 'slow', 'ticket']);
  });
});
