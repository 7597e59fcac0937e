import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load.js';
import { pagingPromise, readmePromises } from '../../src/report/promises.js';
import { alertBehaviour } from '../../src/report/slo-replay.js';
import { aboutDuration, humanDuration } from '../../src/text/wording.js';
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

  it('says which burn-rate alerts page and which are tickets, and what a short outage does, as the model has them', () => {
    const promise = pagingPromise(model);
    for (const a of model.sla.burnRateAlerts) {
      const b = alertBehaviour(model, a);
      if (a.pages) expect(promise).toContain(`${b.name} (${a.severity}) pages`);
      else expect(promise).toContain(`the ticket ${b.name} (${a.severity}) opens after ${aboutDuration(b.firesAfter!)}`);
      if (a.pages && b.firesAfter !== undefined) expect(promise).toContain(`pages after ${aboutDuration(b.firesAfter)}`);
    }
    expect(model.sla.burnRateAlerts.some((a) => !a.pages)).toBe(true);
    expect(promise).toContain(`A single outage shorter than ${humanDuration(model.sla.pageDowntimeSeconds)} pages nobody through the SLO`);
    expect(readme).not.toMatch(/every critical alert pages within/i);
  });

  it('would notice a change of the model: other thresholds render other sentences', () => {
    const other = loadModel({ sla: { maxDowntimePerYear: '8h' }, thresholds: { failedTasks: { critical: { threshold: 1, for: '5m' } } } });
    const changed = readmePromises(other);
    expect(changed.filter((p) => !readme.includes(p)).length).toBe(promises.length);
  });
});
