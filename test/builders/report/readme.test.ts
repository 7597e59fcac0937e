import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pagingPromise, readmePromises } from '../../../src/builders/report/promises.js';
import { alertBehaviour } from '../../../src/builders/report/slo-replay.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { signalAlertName } from '../../../src/conventions/names.js';
import { ALERT_FILES } from '../../../src/documents/paths.js';
import { SLI_CONDITIONS } from '../../../src/model/error-budget.js';
import { loadModel } from '../../../src/model/load.js';
import { signal } from '../../../src/model/model.js';
import { readRules } from '../../../src/reader/read.js';
import { aboutDuration, humanDuration } from '../../../src/text/wording.js';
import { reportOf } from './helpers.js';

/** The README as one line of text: its sentences wrap at any space. */
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

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

describe('what the README says of the override file and the rulers', () => {
  const rulesOf = (model: ReturnType<typeof loadModel>) => readRules([...buildBundle(model)].map(([path, content]) => ({ path, content })));

  it('the SLO rules read the recorded series of mm2-recording and up, never the alerts: as the README tells a distributed ruler', () => {
    const rules = rulesOf(loadModel());
    const slo = rules.filter((r) => r.file === ALERT_FILES.slo);
    const recordedBy = (file: string) => new Set(rules.filter((r) => r.file === file && r.kind === 'record').map((r) => r.name));
    const own = recordedBy(ALERT_FILES.slo);
    const fromRecording = recordedBy(ALERT_FILES.recording);
    const read = new Set(slo.flatMap((r) => [...r.reads]).filter((n) => !own.has(n)));
    expect(slo.flatMap((r) => r.alertSelectors)).toEqual([]);
    expect([...read].filter((n) => !fromRecording.has(n)).sort()).toEqual(['up']);
    expect(readme).toContain('The SLO rules read the recorded series of `mm2-recording` (and `up`), not the alerts');
    expect(readme).not.toMatch(/SLO rules read the `ALERTS` series/);
  });

  it('excluding the alerts of the conditions the SLI counts is accepted and leaves the SLO rules as they are, as the README says', () => {
    const model = loadModel();
    const sliAlerts = SLI_CONDITIONS.flatMap(({ signal: id }) =>
      (['critical', 'warning'] as const).filter((s) => signal(model, id).tiers[s]).map((s) => signalAlertName(id, s)),
    );
    expect(sliAlerts.length).toBeGreaterThanOrEqual(SLI_CONDITIONS.length);
    const excluded = loadModel({ alerting: { exclude: sliAlerts } });
    const sloRules = (m: ReturnType<typeof loadModel>) =>
      rulesOf(m)
        .filter((r) => r.file === ALERT_FILES.slo)
        .map((r) => [r.name, r.expr, r.labels]);
    expect(sloRules(excluded)).toEqual(sloRules(model));
    const alertNames = rulesOf(excluded)
      .filter((r) => r.kind === 'alert')
      .map((r) => r.name);
    for (const name of sliAlerts) expect(alertNames).not.toContain(name);
    expect(readme).toContain('excluding the alerts of the conditions the SLI counts leaves the SLO as it is');
    expect(readme).not.toMatch(/`exclude` refuses the alerts the availability SLI counts/);
  });
});
