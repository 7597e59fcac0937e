import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load.js';
import { pagingPromise, readmePromises } from '../../src/report/promises.js';
import { tierBehaviour } from '../../src/report/sla.js';
import { aboutDuration } from '../../src/text/wording.js';
import { reportOf } from './helpers.js';

/** The README as one line of text: its sentences wrap at any space. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('the numbers the README promises', () => {
  const model = loadModel();
  const promises = readmePromises(model);

  it.each(promises.map((p) => [p.slice(0, 60), p] as const))('says, as the model computes it: %s…', (_, sentence) => {
    expect(readme).toContain(sentence);
  });

  it('says the same in THRESHOLDS.md (the SLA in its table, the rest word for word)', () => {
    const report = reportOf(model);
    for (const p of promises.slice(1)) expect(report).toContain(p);
  });

  it('says which burn-rate alerts page and which are tickets, as the model has them', () => {
    // The fast tier pages only while the flow is still unavailable; the others are tickets.
    const promise = pagingPromise(model);
    for (const t of model.sla.burnRateTiers) {
      const b = tierBehaviour(model, t);
      const paged = `${b.alert} (${t.severity}) pages after ${aboutDuration(b.firesAfter)}, and only while the flow is still unavailable`;
      if (t.pages) expect(promise).toContain(paged);
      else expect(promise).not.toContain(`${b.alert} (${t.severity}) pages`);
    }
    expect(model.sla.burnRateTiers.some((t) => !t.pages)).toBe(true);
    expect(promise).toMatch(/tickets open: /);
    expect(readme).not.toMatch(/every critical alert pages within/i);
  });

  it('would notice a change of the model: other thresholds render other sentences', () => {
    const other = loadModel({ sla: { maxDowntimePerYear: '8h' }, thresholds: { failedTasks: { critical: { threshold: 1, for: '5m' } } } });
    const changed = readmePromises(other);
    expect(changed.filter((p) => !readme.includes(p)).length).toBe(promises.length);
  });
});
