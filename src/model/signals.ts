import { SIGNAL_ENTRIES, type SignalEntries } from './signal-topics/index.js';
import type { PanelPlacement, SignalEntry } from './signal-topics/topic.js';

export type { ClusterSignalDef, FlowSignalDef, QueryContext, Severity, SignalDef, Tier, Tiers } from './signal-def.js';
export { SEVERITIES } from './signal-def.js';
export { REBALANCE_WINDOW } from './signal-topics/workers.js';

/**
 * Every signal's definition, by id, from the topic modules of signal-topics/ (a signal's query,
 * default tiers, runbook advice and panel are declared there together).
 */
export const SIGNAL_DEFS = Object.fromEntries(Object.entries(SIGNAL_ENTRIES).map(([id, e]) => [id, e.def])) as {
  readonly [K in keyof SignalEntries]: SignalEntries[K]['def'];
};

export type SignalId = keyof typeof SIGNAL_DEFS;
export const SIGNAL_IDS = Object.keys(SIGNAL_DEFS) as SignalId[];

/** The signals shown on the MM2 / Replication dashboard, with where and how. */
export const SIGNAL_PANELS: readonly { readonly id: SignalId; readonly panel: PanelPlacement }[] = SIGNAL_IDS.flatMap((id) => {
  const panel = (SIGNAL_ENTRIES[id] as SignalEntry).panel;
  return panel ? [{ id, panel }] : [];
});
