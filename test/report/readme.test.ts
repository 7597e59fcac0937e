import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load.js';
import { readmePromises } from '../../src/report/promises.js';
import { reportOf, rulesOf } from './helpers.js';

/** The README as one line of text: its sentences wrap at any space. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('the numbers the README promises', () => {
  const model = loadModel();
  const promises = readmePromises(model, rulesOf(model));

  it.each(promises.map((p) => [p.slice(0, 60), p] as const))('says, as the model computes it: %s…', (_, sentence) => {
    expect(readme).toContain(sentence);
  });

  it('says the same in THRESHOLDS.md (the SLA in its table, the rest word for word)', () => {
    const report = reportOf(model);
    for (const p of promises.slice(1)) expect(report).toContain(p);
  });

  it('no longer promises that every critical alert pages within about two minutes', () => {
    // MM2SloBurnRateSlow is critical with a `for` far longer than two minutes.
    expect(model.sla.burnRateTiers.some((t) => t.severity === 'critical' && t.for !== '2m' && t.for !== '1m')).toBe(true);
    expect(readme).not.toMatch(/every critical alert pages within/i);
  });

  it('would notice a change of the model: other thresholds render other sentences', () => {
    const other = loadModel({ sla: { maxDowntimePerYear: '8h' }, thresholds: { failedTasks: { critical: { threshold: 1, for: '5m' } } } });
    const changed = readmePromises(other, rulesOf(other));
    expect(changed.filter((p) => !readme.includes(p)).length).toBe(promises.length);
  });
});
