import type { DeclaredSignalThresholds } from '../provenance.js';
import type { SignalDef, Tiers } from '../signal-def.js';
import type { Flow, Worker } from '../topology.js';

/**
 * What on-call does about one kind of alert: how to confirm it on the cluster, how to fix it,
 * when to hand it on. RUNBOOK.md renders one section per alert of the bundle from this and from
 * the alert rule itself (meaning, PromQL, thresholds), so only the advice is written by hand.
 */
export interface RunbookAdvice {
  /** How to see the problem with your own eyes: REST calls, metrics, Kafka CLI. Markdown paragraphs. */
  readonly confirm: readonly string[];
  /** What to do, most likely cause first. */
  readonly fix: readonly string[];
  /** When the problem is no longer on-call's to fix alone, and whom it goes to. */
  readonly escalate: readonly string[];
}

/** The rows of the MM2 / Replication dashboard that show signals (the dashboard gives each its number and title). */
export type ReplicationRow = 'health' | 'latency' | 'lag' | 'throughput';

/** What a panel may read of the model besides its signal. */
export interface PanelContext {
  readonly flows: readonly Flow[];
  readonly workers: readonly Worker[];
}

/** A colour step of a panel: the colour from `value` upward (`null`: from the bottom). */
export interface PanelStep {
  readonly value: number | null;
  readonly color: string;
}

/**
 * Where the signal's panel sits on the MM2 / Replication dashboard and what it shows there;
 * title, unit, description and threshold colours otherwise come from the signal and its tiers.
 */
export interface PanelPlacement {
  readonly row: ReplicationRow;
  /** The panel's number in its row (its id is 100 × the row's number + this): fixed, so that viewPanel links survive. */
  readonly number: number;
  /** A stat shows the value now; a time series its history. */
  readonly kind: 'stat' | 'timeseries';
  readonly title?: string;
  /** Added to the signal's meaning in the panel's description. */
  readonly note?: string | ((model: PanelContext) => string);
  /** A stat of the series' count or maximum now, 0 rather than "no value" while there is none, under this legend. */
  readonly now?: { readonly of: 'count' | 'max'; readonly legend: string };
  /** Only the dashboard's worst topics (topk); the title is this, then how many. */
  readonly worstTopics?: string;
  /** Colour steps of their own instead of the tiers'. */
  readonly steps?: (tiers: Tiers, model: PanelContext) => readonly PanelStep[];
}

/** One signal with everything declared about it: its query, its default tiers with their provenance, its panel. */
export interface SignalEntry {
  readonly def: SignalDef;
  /** The default tiers, each with its provenance, and what the signal means for the SLA: the configuration's defaults and the audit report. */
  readonly thresholds: DeclaredSignalThresholds;
  /** No panel: the signal is read by alerts, other signals or the detailed dashboard only. */
  readonly panel?: PanelPlacement;
}

/**
 * A topic: the signals diagnosed together, and the runbook advice for the runbook topics
 * their definitions name. The model's tables (SIGNAL_DEFS, DEFAULT_THRESHOLDS, RUNBOOK_ADVICE)
 * and the dashboard's signal panels are built from the topics listed in index.ts.
 */
export interface SignalTopic {
  readonly signals: Readonly<Record<string, SignalEntry>>;
  readonly advice: Readonly<Record<string, RunbookAdvice>>;
}
