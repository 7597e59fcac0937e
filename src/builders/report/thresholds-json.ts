import { badComparison } from '../../conventions/direction.js';
import { durationSeconds } from '../../conventions/duration.js';
import { burnRateAlertName } from '../../conventions/names.js';
import { GUIDE_ALERTS, guideText, type Provenance } from '../../model/provenance.js';
import type { Severity } from '../../model/signals.js';
import { type Audit, tierAlerts, tiersOf } from './audit.js';
import { guideAlertMappings } from './guide-mapping.js';
import { provenanceSentence } from './provenance-text.js';
import { alertBehaviour, situationOutcomes, sloSituations } from './slo-replay.js';

/**
 * The content of THRESHOLDS.md for tools: every signal's tiers with their provenance, the SLA
 * and its burn-rate tiers, and the guide's alerts mapped to the bundle's. Plain numbers (no
 * rounding for reading) and stable key order, so the file diffs like the report.
 */

function provenanceJson(p: Provenance): object {
  switch (p.kind) {
    case 'override':
      return {
        kind: p.kind,
        file: p.file,
        key: p.key,
        ...(p.replaces ? { replaces: { value: p.replaces.value, provenance: provenanceJson(p.replaces.provenance) } } : {}),
      };
    case 'decision':
      return { kind: p.kind, reason: p.reason, text: provenanceSentence(p) };
    case 'guide':
    case 'adapted':
      return { kind: p.kind, guide: { ...p.ref, text: guideText(p.ref) }, ...(p.kind === 'adapted' ? { reason: p.reason } : {}), text: provenanceSentence(p) };
  }
}

export function thresholdsJson(a: Audit): object {
  const m = a.model;
  const tier = (s: (typeof m.signals)[number], severity: Severity) => {
    const t = s.tiers[severity]!;
    const from = s.audit.tiers[severity]!;
    return {
      severity,
      threshold: t.threshold,
      comparison: badComparison(s.def.direction),
      for: t.for,
      forSeconds: durationSeconds(t.for),
      alerts: tierAlerts(a, s.id, severity),
      provenance: { threshold: provenanceJson(from.threshold), for: provenanceJson(from.for) },
    };
  };
  return {
    configuration: m.origin,
    signals: m.signals.map((s) => ({
      id: s.id,
      title: s.def.title,
      meaning: s.def.meaning,
      slaRole: s.audit.slaRole,
      onBreach: s.audit.onBreach,
      unit: s.def.unit,
      direction: s.def.direction,
      scope: s.def.scope,
      by: s.def.by,
      record: s.def.record,
      countsAgainstErrorBudget: a.sli.has(s.id),
      tiers: tiersOf(s).map((sev) => tier(s, sev)),
    })),
    sla: {
      maxDowntimePerYear: m.sla.maxDowntimePerYear,
      sloPeriod: m.sla.sloPeriod,
      objective: m.sla.objective,
      errorBudgetRatio: m.sla.errorBudgetRatio,
      errorBudgetSecondsPerYear: m.sla.errorBudgetSecondsPerYear,
      errorBudgetSecondsPerPeriod: m.sla.errorBudgetSecondsPerPeriod,
      sli: {
        conditions: a.sliInputs.map((i) => ({
          signal: i.signal.id,
          record: i.signal.def.record,
          comparison: badComparison(i.signal.def.direction),
          threshold: (i.signal.tiers.critical ?? i.signal.tiers.warning)!.threshold,
          sourceConnectorOnly: i.sourceConnectorOnly,
        })),
        debounceEvaluations: m.sla.debounceEvaluations,
        evaluationSeconds: m.sla.evaluationSeconds,
        minCountedOutageSeconds: m.sla.minCountedOutageSeconds,
      },
      burnRateTiers: m.sla.burnRateTiers.map((t) => ({ ...t, alert: burnRateAlertName(t.alert), forSeconds: durationSeconds(t.for) })),
      pageDowntimeSeconds: m.sla.pageDowntimeSeconds,
      burnRateAlerts: m.sla.burnRateAlerts.map((x) => {
        const b = alertBehaviour(m, x);
        const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
        return {
          alert: b.name,
          severity: x.severity,
          pages: x.pages,
          tiers: x.tiers.map((t) => t.name),
          for: x.for,
          keepFiringFor: x.keepFiringFor ?? null,
          leavesTo: x.leavesTo ? burnRateAlertName(x.leavesTo.alert) : null,
          firesAfterSeconds: finite(b.firesAfter),
          longWindowLagSeconds: b.longWindowLag,
          budgetSpentWhenFiring: b.budgetSpentWhenFiring === undefined ? null : Number(b.budgetSpentWhenFiring.toPrecision(12)),
          shortestFiringOutageSeconds: finite(b.shortestFiringOutage),
          firingAfterRecoverySeconds: finite(b.firingAfterRecovery),
        };
      }),
      situations: sloSituations(m).map((sit) => ({
        situation: sit.name,
        alerts: Object.fromEntries(Object.entries(situationOutcomes(m, sit)).map(([name, o]) => [burnRateAlertName(name), o])),
      })),
    },
    guideAlerts: guideAlertMappings(a).map((g) => ({
      name: g.name,
      ...GUIDE_ALERTS[g.name],
      becomes: g.becomes.flatMap((t) => t.alerts),
      adds: g.adds.flatMap((t) => t.alerts),
      changes: g.changes,
    })),
  };
}
