import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/conventions/duration.js';
import { deriveSla } from '../../src/model/error-budget.js';

describe('SLA arithmetic', () => {
  const sla = deriveSla({
    maxDowntimePerYear: parseDuration('1h'),
    sloPeriod: parseDuration('30d'),
    evaluationInterval: parseDuration('15s'),
    scrapeInterval: parseDuration('15s'),
    pageDowntimeSeconds: 60,
  });

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

  it('pages on the 1h and 6h pairs and opens one ticket for the 1d and 3d pairs, as Sloth groups the workbook', () => {
    expect(sla.burnRateAlerts.map((a) => [a.name, a.severity, a.tiers.map((t) => t.name)])).toEqual([
      ['fast', 'critical', ['fast']],
      ['slow', 'critical', ['slow']],
      ['ticket', 'warning', ['ticket', 'drift']],
    ]);
    // A page keeps firing for its short window; the slow page leaves the fast one's outages to it.
    expect(sla.burnRateAlerts.map((a) => a.keepFiringFor)).toEqual(['5m', '30m', undefined]);
    expect(sla.burnRateAlerts[1]!.leavesTo?.name).toBe('fast');
  });

  it("asks a page's short window for the page downtime, half an evaluation short, where the burn rate alone asks less than one evaluation", () => {
    const fast = sla.burnRateTiers[0]!;
    // 14.4 x 0.0114 % of 5 min is under half a second: any bad evaluation would do.
    expect(fast.errorRatioThreshold * 300).toBeLessThan(sla.evaluationSeconds);
    expect(fast.shortWindowRatioThreshold).toBe((60 - 7.5) / 300);
    // The ticket's pairs keep the workbook's thresholds.
    for (const t of sla.burnRateTiers.filter((x) => !x.pages)) expect(t.shortWindowRatioThreshold).toBe(t.errorRatioThreshold);
    // At a loose objective the workbook's threshold is the higher one and stays.
    const loose = deriveSla({
      maxDowntimePerYear: parseDuration('30d'),
      sloPeriod: parseDuration('30d'),
      evaluationInterval: parseDuration('15s'),
      scrapeInterval: parseDuration('15s'),
      pageDowntimeSeconds: 60,
    });
    expect(loose.burnRateTiers[0]!.shortWindowRatioThreshold).toBe(loose.burnRateTiers[0]!.errorRatioThreshold);
  });

  it('keeps the page downtime above the shortest counted outage and within the fastest short window', () => {
    const of = (seconds: number) =>
      deriveSla({
        maxDowntimePerYear: parseDuration('1h'),
        sloPeriod: parseDuration('30d'),
        evaluationInterval: parseDuration('15s'),
        scrapeInterval: parseDuration('15s'),
        pageDowntimeSeconds: seconds,
      }).pageDowntimeSeconds;
    expect(of(60)).toBe(60);
    expect(of(0)).toBe(sla.minCountedOutageSeconds + 15);
    expect(of(3600)).toBe(300);
  });

  it('debounces as many evaluations as two scrapes span, and one more', () => {
    // Scraped and evaluated every 15 s: what one or two scrapes show alone (a worker shutting
    // down cleanly, a late scrape) spans 2 evaluations; 3 bad ones are an outage.
    expect(sla.debounceEvaluations).toBe(3);
    expect(sla.minCountedOutageSeconds).toBe(45);
    const often = deriveSla({
      maxDowntimePerYear: parseDuration('1h'),
      sloPeriod: parseDuration('30d'),
      evaluationInterval: parseDuration('1s'),
      scrapeInterval: parseDuration('5s'),
      pageDowntimeSeconds: 60,
    });
    // Two scrapes are read by the 10 evaluations until the third: 11 bad ones are an outage.
    expect(often.debounceEvaluations).toBe(11);
    expect(often.minCountedOutageSeconds).toBe(11);
  });

  it('prints thresholds without binary floating-point noise', () => {
    // 8h45m36s is exactly 0.1 % of a year: 14.4 * 0.001 is 0.014400000000000001 in raw float64.
    const tidy = deriveSla({
      maxDowntimePerYear: parseDuration('8h45m36s'),
      sloPeriod: parseDuration('30d'),
      evaluationInterval: parseDuration('15s'),
      scrapeInterval: parseDuration('15s'),
      pageDowntimeSeconds: 60,
    });
    expect(tidy.errorBudgetRatio).toBe(0.001);
    expect(tidy.objective).toBe(0.999);
    expect(tidy.burnRateTiers.map((t) => t.errorRatioThreshold)).toEqual([0.0144, 0.006, 0.003, 0.001]);
    expect(
      String(
        deriveSla({
          maxDowntimePerYear: parseDuration('1h'),
          sloPeriod: parseDuration('28d'),
          evaluationInterval: parseDuration('15s'),
          scrapeInterval: parseDuration('15s'),
          pageDowntimeSeconds: 60,
        }).burnRateTiers[0]!.factor,
      ),
    ).toBe('13.44');
  });

  it('moves with the SLA: 8 h a year is a 99.9087 % objective', () => {
    const loose = deriveSla({
      maxDowntimePerYear: parseDuration('8h'),
      sloPeriod: parseDuration('30d'),
      evaluationInterval: parseDuration('15s'),
      scrapeInterval: parseDuration('15s'),
      pageDowntimeSeconds: 60,
    });
    expect((loose.objective * 100).toFixed(4)).toBe('99.9087');
    expect(loose.burnRateTiers[0]!.errorRatioThreshold).toBeCloseTo((14.4 * 8 * 3600) / (365 * 86400), 12);
  });

  it('drops tiers whose long window exceeds a short SLO period', () => {
    const short = deriveSla({
      maxDowntimePerYear: parseDuration('1h'),
      sloPeriod: parseDuration('2d'),
      evaluationInterval: parseDuration('15s'),
      scrapeInterval: parseDuration('15s'),
      pageDowntimeSeconds: 60,
    });
    expect(short.burnRateTiers.map((t) => t.name)).toEqual(['fast', 'slow', 'ticket']);
    expect(short.burnRateAlerts.find((a) => a.name === 'ticket')!.tiers.map((t) => t.name)).toEqual(['ticket']);
  });
});
