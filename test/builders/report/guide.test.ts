import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_THRESHOLDS } from '../../../src/model/defaults.js';
import { GUIDE_ALERT_FATES } from '../../../src/model/guide-fates.js';
import { loadModel } from '../../../src/model/load.js';
import {
  type DeclaredProvenance,
  type DeclaredSignalThresholds,
  GUIDE_ALERTS,
  GUIDE_QUERY_LIMITS,
  GUIDE_THRESHOLD_ROWS,
  type GuideRef,
} from '../../../src/model/provenance.js';
import { SEVERITIES, SIGNAL_DEFS, type SignalId } from '../../../src/model/signals.js';
import { reportOf, rulesOf, sectionOf, tableRows } from './helpers.js';

/** Sections 6 and 7 of the tuning guide, verbatim. */
const guide = readFileSync(new URL('../../fixtures/seed-sections-6-7.md', import.meta.url), 'utf8');

function guideTableRows(): string[][] {
  const table = guide.slice(guide.indexOf('### 6.2'), guide.indexOf('## 7.'));
  return table
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Métrique') && !l.startsWith('|---'))
    .map((l) => l.replace(/^\| /, '').replace(/ \|$/, '').split(' | '));
}

interface GuideRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string; sla_impact: string };
}

function guideRules(): GuideRule[] {
  const section = guide.slice(guide.indexOf('## 7.'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  return (parse(yaml) as { groups: { rules: GuideRule[] }[] }).groups.flatMap((g) => g.rules);
}

const declared = Object.entries(DEFAULT_THRESHOLDS) as [SignalId, DeclaredSignalThresholds][];
const provenances = declared.flatMap(([id, d]) =>
  SEVERITIES.flatMap((sev) => {
    const tier = d[sev];
    return tier ? (['threshold', 'for'] as const).map((field) => ({ id, sev, field, tier, p: tier.from[field] as DeclaredProvenance })) : [];
  }),
);
const refOf = (p: DeclaredProvenance): GuideRef | undefined => (p.kind === 'decision' ? undefined : p.ref);

describe('the guide as the model quotes it', () => {
  it('quotes every row of the section 6.2 table cell by cell', () => {
    const rows = guideTableRows();
    expect(rows.map((r) => r[0]).sort()).toEqual(
      Object.values(GUIDE_THRESHOLD_ROWS)
        .map((r) => r.metric)
        .sort(),
    );
    for (const r of Object.values(GUIDE_THRESHOLD_ROWS)) expect(rows).toContainEqual([r.metric, r.ok, r.warning, r.critical]);
  });

  it('quotes the section 6.1 limits beside their queries', () => {
    for (const q of Object.values(GUIDE_QUERY_LIMITS)) {
      const at = guide.indexOf(`# ${q.limit}`);
      expect(at, q.limit).toBeGreaterThan(0);
      expect(guide.slice(at, at + 400)).toContain(q.query);
    }
  });

  it('quotes the seven alerts of section 7: name, expression, for, severity and sla_impact', () => {
    const rules = guideRules();
    expect(rules.map((r) => r.alert)).toEqual(Object.keys(GUIDE_ALERTS));
    for (const r of rules) {
      const g = GUIDE_ALERTS[r.alert as keyof typeof GUIDE_ALERTS];
      expect({ expr: r.expr.trim(), for: r.for, severity: r.labels.severity, slaImpact: r.labels.sla_impact }, r.alert).toEqual(g);
    }
  });

  it('points every provenance at a place where the guide has a value', () => {
    for (const { id, sev, field, p } of provenances) {
      const ref = refOf(p);
      if (ref?.section === '6.2') expect(GUIDE_THRESHOLD_ROWS[ref.row][ref.column], `${id} ${sev} ${field}`).not.toBe('-');
      if (ref?.section === '7') expect(ref.field === 'for' ? field === 'for' : field === 'threshold', `${id} ${sev} ${field}`).toBe(true);
      if (p.kind !== 'guide') expect(p.reason.length, `${id} ${sev} ${field}`).toBeGreaterThan(20);
    }
  });

  it("gives reasons that do not restate their tier's values (a value is typed once, in the declaration)", () => {
    for (const { id, sev, field, tier, p } of provenances) {
      if (p.kind === 'guide') continue;
      expect(p.reason, `${id} ${sev} ${field}`).not.toMatch(new RegExp(`(^|[^\\w.])${tier.for}\\b`));
      if (tier.threshold >= 10) expect(p.reason, `${id} ${sev} ${field}`).not.toMatch(new RegExp(`(^|[^\\d.,])${tier.threshold}(?![\\d])`));
    }
  });

  it("calls a value \"the guide's\" only where it is the guide's value, read the bundle's way", () => {
    let checked = 0;
    for (const { id, sev, field, tier, p } of provenances) {
      if (p.kind !== 'guide') continue;
      checked++;
      const def = SIGNAL_DEFS[id];
      if (field === 'for') {
        expect(p.ref.section, `${id} ${sev}`).toBe('7');
        if (p.ref.section === '7') expect(tier.for, `${id} ${sev}`).toBe(GUIDE_ALERTS[p.ref.alert].for);
        continue;
      }
      const text =
        p.ref.section === '6.2'
          ? GUIDE_THRESHOLD_ROWS[p.ref.row][p.ref.column]
          : p.ref.section === '6.1'
            ? GUIDE_QUERY_LIMITS[p.ref.query].limit
            : GUIDE_ALERTS[p.ref.alert].expr;
      // "100-500ms": a band whose bad end is its lower bound (bad when high) or upper bound (bad when low).
      const band = /^(\d+)-(\d+)/.exec(text);
      // "> 1000ms", "< 95%", "SEUIL MAX: 30000ms", "DOIT ÊTRE 0": a limit the value must not pass.
      const limit = /(?:[<>]|MAX:|ÊTRE)\s*(\d+)\D*$/.exec(text);
      const n = band ? Number(band[def.direction === 'above' ? 1 : 2]) : Number(limit![1]);
      // The bundle fires at >= t. Past a limit of 0 means one of the thing; past n on a gauge that
      // counts whole things (tasks, connectors, workers) means n + 1; on the windowed averages and
      // extrapolated increase() counts, >= n (the two differ only at exactly n).
      const wholeCount = ['tasks', 'connectors', 'workers'].includes(def.unit);
      const expected = band || def.direction === 'below' ? n : n === 0 ? 1 : wholeCount ? n + 1 : n;
      expect(tier.threshold, `${id} ${sev}: guide says ${text}`).toBe(expected);
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe("the guide's alerts mapped to the bundle's", () => {
  const model = loadModel();
  const report = reportOf(model);
  const alerts = rulesOf(model).filter((r) => r.kind === 'alert');
  const rows = tableRows(sectionOf(report, "## The guide's alerts in this bundle"));

  it("has one row per guide alert, with the guide's expression, severity, for and sla_impact", () => {
    expect(rows.map((r) => r[0])).toEqual(Object.keys(GUIDE_ALERTS));
    for (const r of rows) {
      const g = GUIDE_ALERTS[r[0] as keyof typeof GUIDE_ALERTS];
      expect(r.slice(1, 4)).toEqual([`\`${g.expr}\``, `${g.severity}, for ${g.for}`, g.slaImpact]);
    }
  });

  it("names, for each, the alerts of the bundle that replace it: alerts that exist, one per declared tier, with that tier's severity and signal", () => {
    for (const r of rows) {
      const fate = GUIDE_ALERT_FATES[r[0] as keyof typeof GUIDE_ALERTS];
      const listed = r[4]!.split(', ');
      expect(listed.length, r[0]).toBe(fate.becomes.length);
      fate.becomes.forEach((t, i) => {
        const rule = alerts.find((a) => a.name === listed[i]);
        expect(rule, `${r[0]} -> ${listed[i]}`).toBeDefined();
        expect([rule!.labels['signal'], rule!.labels['severity']]).toEqual([t.signal, t.severity]);
      });
    }
  });

  it('states every change with its reason: expression, severity where it differs, added tiers, thresholds, sla_impact', () => {
    for (const r of rows) {
      const name = r[0] as keyof typeof GUIDE_ALERTS;
      const changes = r[5]!.split('<br>');
      expect(changes.find((c) => c.startsWith('**expression**: '))).toBe(`**expression**: ${GUIDE_ALERT_FATES[name].expression}`);
      expect(changes.some((c) => c.startsWith('**threshold and `for`**'))).toBe(true);
      expect(changes.some((c) => c.startsWith(`**sla_impact** ${GUIDE_ALERTS[name].slaImpact}: not restored as a label`))).toBe(true);
      const differs = GUIDE_ALERT_FATES[name].becomes.some((t) => t.severity !== GUIDE_ALERTS[name].severity);
      expect(
        changes.some((c) => c.startsWith('**severity**')),
        name,
      ).toBe(differs);
      expect(r[5]).not.toContain('no reason declared');
      if (GUIDE_ALERT_FATES[name].adds?.length)
        expect(
          changes.some((c) => c.startsWith('**added**')),
          name,
        ).toBe(true);
    }
  });
});
