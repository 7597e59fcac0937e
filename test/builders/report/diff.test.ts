import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THRESHOLD_TABLE_HEADING } from '../../../src/builders/report/thresholds.js';
import { durationSeconds } from '../../../src/conventions/duration.js';
import { loadModel } from '../../../src/model/load.js';
import type { ResolvedSignal } from '../../../src/model/model.js';
import { SEVERITIES, type Severity } from '../../../src/model/signals.js';
import { reportOf, rulesOf } from './helpers.js';

/**
 * "A threshold change changes exactly one line of the report": between two builds from the
 * same configuration source, a change of one tier's threshold (or of the `for` of an alert
 * the SLI does not count) changes exactly one line of THRESHOLDS.md, the tier's row of the
 * threshold table, so a pull request's diff of the report shows that decision and nothing else.
 */

interface Change {
  readonly line: number;
  readonly before: string;
  readonly after: string;
}

function changedLines(before: string, after: string): Change[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length, 'a threshold change must not add or remove lines').toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [{ line: i, before: line, after: b[i]! }]));
}

/** Another valid value for a tier: still on the right side of the other tier and inside the unit's range. */
function otherThreshold(s: ResolvedSignal, severity: Severity): number {
  const { warning } = s.tiers;
  const t = s.tiers[severity]!.threshold;
  // Tiers about different connectors are independent: half the value is in range for every unit.
  if (s.def.tierConnectors) return s.def.direction === 'above' ? t / 2 : t + 1;
  if (s.def.direction === 'above') return severity === 'warning' ? t / 2 : warning ? (warning.threshold + t) / 2 : t / 2;
  if (severity === 'critical') return warning ? (warning.threshold + t) / 2 : t + 1;
  return s.def.unit === 'percent' ? (t + 100) / 2 : t + 1;
}

const FILE = '/srv/mm2/prod.yaml';
const model = loadModel();
const tiers = model.signals.flatMap((s) => SEVERITIES.filter((sev) => s.tiers[sev]).map((sev) => [s, sev] as const));

function rowLine(report: string, id: string, severity: Severity): number {
  const lines = report.split('\n');
  const start = lines.indexOf(THRESHOLD_TABLE_HEADING);
  return lines.findIndex((l, i) => i > start && l.startsWith(`| [${id}](`) && l.includes(`| ${severity} |`));
}

describe('a threshold change in the diff of THRESHOLDS.md', () => {
  it.each(tiers.map(([s, sev]) => [`${s.id} ${sev}`, s, sev] as const))('%s: a new threshold changes exactly its row', (_, s, severity) => {
    const tier = s.tiers[severity]!;
    const set = (threshold: number) => loadModel({ thresholds: { [s.id]: { [severity]: { threshold } } } }, FILE);
    const before = reportOf(set(tier.threshold));
    const after = reportOf(set(otherThreshold(s, severity)));
    const changes = changedLines(before, after);
    expect(changes.map((c) => c.line)).toEqual([rowLine(before, s.id, severity)]);
    expect(changes[0]!.after).toContain(`prod.yaml:thresholds.${s.id}.${severity}.threshold`);
  });

  it("a new `for` within the range the paging promise states changes exactly the row: the SLI reads raw conditions, so no alert's `for` moves the SLA arithmetic", () => {
    // No SLO rule reads alert states; if one did, a `for` would move what the SLI counts.
    expect(
      rulesOf(model)
        .filter((r) => r.kind === 'record' && r.alertSelectors.length > 0)
        .map((r) => r.name),
    ).toEqual([]);
    let checked = 0;
    for (const [s, severity] of tiers) {
      const tier = s.tiers[severity]!;
      const set = (f: string) => loadModel({ thresholds: { [s.id]: { [severity]: { for: f } } } }, FILE);
      const before = reportOf(set(tier.for));
      // Another `for` already used by a tier of the same severity, from a tier that is not the only one at an end of the range: the promise's range stays the same.
      const same = tiers.filter(([x, sev]) => sev === severity && x !== s).map(([x, sev]) => durationSeconds(x.tiers[sev]!.for));
      const own = durationSeconds(tier.for);
      if (own < Math.min(...same) || own > Math.max(...same)) continue;
      const other = tiers.map(([x, sev]) => (sev === severity ? x.tiers[sev]!.for : undefined)).find((f) => f !== undefined && f !== tier.for);
      if (!other) continue;
      const after = reportOf(set(other));
      expect(
        changedLines(before, after).map((c) => c.line),
        `${s.id} ${severity}`,
      ).toEqual([rowLine(before, s.id, severity)]);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  }, 300_000);

  it('a `for` outside that range moves the paging promise of the SLA section with the row', () => {
    const [s, severity] = tiers.find(([, sev]) => sev === 'critical')!;
    const before = reportOf(loadModel({ thresholds: { [s.id]: { [severity]: { for: s.tiers[severity]!.for } } } }, FILE));
    const after = reportOf(loadModel({ thresholds: { [s.id]: { [severity]: { for: '47m' } } } }, FILE));
    const changed = changedLines(before, after);
    expect(changed[0]!.line).toBe(rowLine(before, s.id, severity));
    expect(changed.some((c) => c.before.startsWith('Critical signal alerts page') && c.after.includes('47m'))).toBe(true);
  });

  it('going from the defaults to an override file changes the row, the count of values by provenance and the two lines naming the configuration', () => {
    const [s, severity] = tiers[0]!;
    const before = reportOf(model);
    const after = reportOf(loadModel({ thresholds: { [s.id]: { [severity]: { threshold: otherThreshold(s, severity) } } } }, FILE));
    const changes = changedLines(before, after);
    const lines = before.split('\n');
    const tableIntro = lines.indexOf(THRESHOLD_TABLE_HEADING) + 2;
    expect(changes.map((c) => c.line)).toEqual([0, lines.findIndex((l) => l.startsWith('Configuration: ')), tableIntro, rowLine(before, s.id, severity)]);
    expect(changes[2]!.after).toContain('and 1 set by an override file');
    // The header names the configuration file without its directory (the same bytes whatever the path typed).
    expect(changes[0]!.after).toContain(`defaults + ${basename(FILE)}`);
  });
});
