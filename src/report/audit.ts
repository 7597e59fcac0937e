import { SLO_SERIES } from '../alerts/naming.js';
import type { GeneratedFile } from '../bundle/files.js';
import type { Model, ResolvedSignal } from '../model/model.js';
import type { DeclaredProvenance, Provenance } from '../model/provenance.js';
import { SEVERITIES, type Severity, type SignalId } from '../model/signals.js';
import { sliInputs } from './sla.js';
import { readRules, signalOrigins, signalUsage, type RuleEntry, type SignalUsage } from './usage.js';

/**
 * What the report and thresholds.json both need, computed once from the model and the
 * generated files: who uses each signal, which tiers' alerts exist, what the SLI counts.
 */
export interface Audit {
  readonly model: Model;
  readonly rules: readonly RuleEntry[];
  readonly usage: ReadonlyMap<SignalId, SignalUsage>;
  /** For each signal the SLI reads, the SLI's alerts that read it (none when the SLI reads the signal itself). */
  readonly sli: ReadonlyMap<SignalId, readonly string[]>;
  /** The alerts whose firing the SLI counts as downtime. */
  readonly sliAlerts: ReadonlySet<string>;
  /** Signals with at least one tier that the SLI does not read. */
  readonly late: readonly SignalId[];
}

export function audit(model: Model, files: readonly GeneratedFile[]): Audit {
  const rules = readRules(files);
  const usage = signalUsage(model, files);
  const inputs = new Set(sliInputs(rules).map((i) => i.alert));
  // Whatever the SLI's series is computed from, alert states included, is what spends the budget.
  const read = signalOrigins(model, rules).get(SLO_SERIES.unavailable) ?? new Set<SignalId>();
  const sli = new Map<SignalId, string[]>();
  for (const s of model.signals) {
    if (!read.has(s.id)) continue;
    sli.set(s.id, [...new Set(usage.get(s.id)!.alerts.filter((a) => inputs.has(a.name)).map((a) => a.name))]);
  }
  const late = model.signals.filter((s) => !sli.has(s.id) && SEVERITIES.some((sev) => s.tiers[sev])).map((s) => s.id);
  return { model, rules, usage, sli, sliAlerts: inputs, late };
}

/** The alert of a signal's tier: an alert that reads the signal's own series with that severity. */
export function tierAlerts(a: Audit, id: SignalId, severity: Severity): string[] {
  return a.usage
    .get(id)!
    .alerts.filter((x) => x.via.length === 0 && !x.filterOnly && x.labels['severity'] === severity)
    .map((x) => x.name);
}

/** The reasoning the defaults give for a tier in force (for an override: the default it replaced). */
export function declaredOf(p: Provenance): DeclaredProvenance | undefined {
  return p.kind === 'override' ? p.replaces?.provenance : p;
}

export function tiersOf(s: ResolvedSignal): Severity[] {
  return SEVERITIES.filter((sev) => s.tiers[sev]);
}
