import type { PanelQuery } from '../../documents/panel-queries.js';
import type { Queries } from '../../documents/queries.js';
import type { Reads, Rule } from '../../documents/rules.js';
import type { Model } from '../../model/model.js';
import type { SignalId } from '../../model/signals.js';
import { matches } from '../../promql/matcher.js';

/**
 * Who uses what, read from the generated rules and dashboards themselves (their typed queries): the
 * report lists the alerts and panels that really read a signal, not the ones a builder meant
 * to make, following recording rules and alert states back to the signals they are built on.
 */

/** How a rule or a panel reaches a signal: by its recorded series, or through series recorded from it. */
export interface Use {
  /** Empty when the expression reads the signal's own recorded series. */
  readonly via: readonly string[];
  /** The expression only filters by these series (right of `and` / `unless`): it shows or compares none of their values. */
  readonly filterOnly: boolean;
}

export interface SignalUsage {
  readonly alerts: readonly (Rule & Use)[];
  readonly panels: readonly (PanelQuery & Use)[];
  /** The recording rules that store the signal, in file order (one per flow for flow signals). */
  readonly recordings: readonly Rule[];
}

/** Name under which an alert's state (its ALERTS series) enters the lineage of recorded series. */
function alertState(alert: string): string {
  return `ALERTS{alertname=${JSON.stringify(alert)}}`;
}

/** What an expression reads, alert states included: `ALERTS{alertname=~"A|B"}` reads the states of A and B. */
function lineageReads(x: Reads, alerts: readonly string[]): string[] {
  const states = x.alertSelectors.flatMap((ms) => alerts.filter((a) => ms.every((m) => matches(m, a)))).map(alertState);
  return [...x.reads, ...states];
}

/**
 * For each recorded series and alert state, the signals it is computed from, following
 * recording rules that read other recorded series (e.g. the lag growth reads the lag) or alert
 * states (e.g. the SLO counts the time some alerts fire).
 */
export function signalOrigins(model: Model, rules: readonly Rule[]): Map<string, Set<SignalId>> {
  const alerts = rules.filter((r) => r.kind === 'alert').map((r) => r.name);
  const readsOf = new Map<string, Set<string>>();
  for (const r of rules) {
    const name = r.kind === 'record' ? r.name : alertState(r.name);
    const set = readsOf.get(name) ?? new Set<string>();
    for (const n of lineageReads(r, alerts)) set.add(n);
    readsOf.set(name, set);
  }
  const ownRecord = new Map<string, SignalId>(model.signals.map((s) => [s.def.record, s.id]));
  const memo = new Map<string, Set<SignalId>>();
  const resolve = (name: string, seen: Set<string>): Set<SignalId> => {
    const cached = memo.get(name);
    if (cached) return cached;
    const out = new Set<SignalId>();
    const own = ownRecord.get(name);
    if (own) out.add(own);
    if (!seen.has(name)) {
      seen.add(name);
      for (const dep of readsOf.get(name) ?? []) for (const id of resolve(dep, seen)) out.add(id);
      seen.delete(name);
    }
    memo.set(name, out);
    return out;
  };
  for (const name of readsOf.keys()) resolve(name, new Set());
  return memo;
}

function useOf(x: Reads, record: string, id: SignalId, origins: Map<string, Set<SignalId>>, alerts: readonly string[]): Use | undefined {
  if (x.reads.has(record)) return { via: [], filterOnly: x.filterReads.has(record) };
  const via = lineageReads(x, alerts)
    .filter((n) => n !== record && origins.get(n)?.has(id))
    .sort();
  return via.length > 0 ? { via, filterOnly: via.every((n) => x.filterReads.has(n)) } : undefined;
}

/** For every signal of the model, the alerts and panels of the bundle that read it, directly or not. */
export function signalUsage(model: Model, { rules, panels }: Queries): Map<SignalId, SignalUsage> {
  const origins = signalOrigins(model, rules);
  const alerts = rules.filter((r) => r.kind === 'alert').map((r) => r.name);
  const usage = new Map<SignalId, SignalUsage>();
  for (const s of model.signals) {
    const record = s.def.record;
    usage.set(s.id, {
      recordings: rules.filter((r) => r.kind === 'record' && r.name === record),
      alerts: rules.flatMap((r) => {
        const use = r.kind === 'alert' ? useOf(r, record, s.id, origins, alerts) : undefined;
        return use ? [{ ...r, ...use }] : [];
      }),
      panels: panels.flatMap((p) => {
        const use = useOf(p, record, s.id, origins, alerts);
        return use ? [{ ...p, ...use }] : [];
      }),
    });
  }
  return usage;
}
