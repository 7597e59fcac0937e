import type { Severity } from './signal-def.js';

/**
 * Where each threshold and `for` comes from, declared beside the value (signal-topics/) so that
 * the audit report and thresholds.json explain the model instead of restating it.
 *
 * The tuning guide the project started from is quoted here as it is written (French guide,
 * sections 6.1, 6.2 and 7); test/builders/report/guide.test.ts checks every quote against the guide's
 * text, so a quote that drifts from the guide fails a test rather than misleading a reviewer.
 */

/** The rows of the guide's section 6.2 table ("Seuils de Validation SLA"), cell by cell. */
export const GUIDE_THRESHOLD_ROWS = {
  latencyAvg: { metric: 'Replication Latency Avg', ok: '< 100ms', warning: '100-500ms', critical: '> 1000ms' },
  latencyMax: { metric: 'Replication Latency Max', ok: '< 500ms', warning: '500-2000ms', critical: '> 5000ms' },
  recordAgeAvg: { metric: 'Record Age Avg', ok: '< 1000ms', warning: '1000-5000ms', critical: '> 5000ms' },
  activeRecords: { metric: 'Active Records (Lag)', ok: '< 1000', warning: '1000-10000', critical: '> 10000' },
  replicationRatio: { metric: 'Replication Ratio', ok: '> 99%', warning: '95-99%', critical: '< 95%' },
  failedTasks: { metric: 'Failed Tasks', ok: '0', warning: '-', critical: '> 0' },
  producerErrors: { metric: 'Producer Errors', ok: '0', warning: '1-10', critical: '> 10' },
} as const;
export type GuideRowId = keyof typeof GUIDE_THRESHOLD_ROWS;

/** Limits the guide states only as comments of its section 6.1 queries. */
export const GUIDE_QUERY_LIMITS = {
  recordAgeMax: { query: 'max(kafka_connect_mirror_source_connector_record_age_ms_max)', limit: 'Age max - SEUIL MAX: 30000ms' },
  bufferExhausted: {
    query: 'sum(kafka_producer_producer_metrics_buffer_exhausted_total{client_id=~".*mirror.*"})',
    limit: 'Buffer exhausted (backpressure) - DOIT ÊTRE 0',
  },
} as const;
export type GuideQueryId = keyof typeof GUIDE_QUERY_LIMITS;

export type GuideImpact = 'high' | 'medium' | 'low';

export interface GuideAlert {
  readonly expr: string;
  readonly for: string;
  readonly severity: Severity;
  /** The guide's `sla_impact` label. */
  readonly slaImpact: GuideImpact;
}

/** The seven alerts of the guide's section 7 ("Règles d'Alerte Prometheus"), as written there. */
export const GUIDE_ALERTS = {
  MM2ReplicationLatencyCritical: {
    expr: 'avg(kafka_connect_mirror_source_connector_replication_latency_ms) > 1000',
    for: '2m',
    severity: 'critical',
    slaImpact: 'high',
  },
  MM2LagIncreasing: {
    expr: 'deriv(sum(kafka_connect_source_task_metrics_source_record_active_count)[5m:1m]) > 500',
    for: '3m',
    severity: 'warning',
    slaImpact: 'medium',
  },
  MM2LagCritical: {
    expr: 'sum(kafka_connect_source_task_metrics_source_record_active_count) > 10000',
    for: '1m',
    severity: 'critical',
    slaImpact: 'high',
  },
  MM2TaskFailed: {
    expr: 'count(kafka_connect_connector_task_status{status="failed",connector=~".*mirror.*"}) > 0',
    for: '1m',
    severity: 'critical',
    slaImpact: 'high',
  },
  MM2ConnectorNotRunning: {
    expr: 'count(kafka_connect_connector_status{status="running",connector=~".*mirror.*"}) < 3',
    for: '1m',
    severity: 'critical',
    slaImpact: 'high',
  },
  MM2ProducerErrors: {
    expr: 'sum(rate(kafka_producer_producer_metrics_record_error_total{client_id=~".*mirror.*"}[5m])) > 0',
    for: '2m',
    severity: 'warning',
    slaImpact: 'medium',
  },
  MM2HeartbeatMissing: {
    expr: 'absent(kafka_connect_connector_status{connector=~".*heartbeat.*",status="running"})',
    for: '2m',
    severity: 'warning',
    slaImpact: 'low',
  },
} as const satisfies Record<string, GuideAlert>;
export type GuideAlertName = keyof typeof GUIDE_ALERTS;

/** A place in the guide a value is taken from. */
export type GuideRef =
  | { readonly section: '6.2'; readonly row: GuideRowId; readonly column: Severity }
  | { readonly section: '6.1'; readonly query: GuideQueryId }
  | { readonly section: '7'; readonly alert: GuideAlertName; readonly field: 'expr' | 'for' };

export const guideRow = (row: GuideRowId, column: Severity): GuideRef => ({ section: '6.2', row, column });
export const guideQuery = (query: GuideQueryId): GuideRef => ({ section: '6.1', query });
export const guideAlert = (alert: GuideAlertName, field: 'expr' | 'for'): GuideRef => ({ section: '7', alert, field });

/** The guide's own words at a reference, e.g. `§6.2 Producer Errors, critical: > 10`. */
export function guideText(ref: GuideRef): string {
  switch (ref.section) {
    case '6.2': {
      const row = GUIDE_THRESHOLD_ROWS[ref.row];
      return `§6.2 ${row.metric}, ${ref.column}: ${row[ref.column]}`;
    }
    case '6.1':
      return `§6.1 ${GUIDE_QUERY_LIMITS[ref.query].limit}`;
    case '7': {
      const alert = GUIDE_ALERTS[ref.alert];
      return `§7 ${ref.alert}: ${ref.field === 'for' ? `for ${alert.for}` : alert.expr}`;
    }
  }
}

/**
 * Where a value of the defaults comes from:
 * - `guide`: the guide's value, read the bundle's way (`>=`, see the note in the report);
 * - `adapted`: taken from the guide and changed, with the reason;
 * - `decision`: ours, where the guide says nothing, with the reason.
 */
export type DeclaredProvenance =
  | { readonly kind: 'guide'; readonly ref: GuideRef }
  | { readonly kind: 'adapted'; readonly ref: GuideRef; readonly reason: string }
  | { readonly kind: 'decision'; readonly reason: string };

export const fromGuide = (ref: GuideRef): DeclaredProvenance => ({ kind: 'guide', ref });
export const adapted = (ref: GuideRef, reason: string): DeclaredProvenance => ({ kind: 'adapted', ref, reason });
export const decision = (reason: string): DeclaredProvenance => ({ kind: 'decision', reason });

/** A value set by the user's override file: which file, which key, and what it replaced. */
export interface OverrideProvenance {
  readonly kind: 'override';
  /** The override file's base name, e.g. `prod.yaml`. */
  readonly file: string;
  /** The key path inside it, e.g. `thresholds.replicationLag.critical.threshold`. */
  readonly key: string;
  /** The default it replaced; absent when the defaults have no such tier. */
  readonly replaces?: { readonly value: number | string; readonly provenance: DeclaredProvenance };
}

export type Provenance = DeclaredProvenance | OverrideProvenance;

export interface TierProvenance<P extends Provenance = Provenance> {
  readonly threshold: P;
  readonly for: P;
}

/** A tier as the defaults declare it: value, `for`, and where each comes from. */
export interface DeclaredTier {
  readonly threshold: number;
  readonly for: string;
  readonly from: TierProvenance<DeclaredProvenance>;
}

/** A signal's thresholds as the defaults declare them, with what a reviewer and the on-call engineer need to judge them. */
export interface DeclaredSignalThresholds {
  /** Why the signal matters for the replication SLA. */
  readonly slaRole: string;
  /** What a breach means for the on-call engineer: what is wrong, what to look at first. */
  readonly onBreach: string;
  readonly warning?: DeclaredTier;
  readonly critical?: DeclaredTier;
}

/** What the model keeps of a signal's declaration besides the values in force. */
export interface SignalAudit {
  readonly slaRole: string;
  readonly onBreach: string;
  /** Provenance of each tier in force. */
  readonly tiers: Partial<Readonly<Record<Severity, TierProvenance>>>;
}

/** Why the guide's `sla_impact` label is not restored: printed in the report's guide mapping. */
export const SLA_IMPACT_DECISION =
  'The guide labels each alert high, medium or low. The bundle does not restore the label: a typed impact per alert would be a second classification that nothing checks and that can contradict what the SLO counts. ' +
  "The impact that matters, whether an alert's signal spends the error budget, is derived from the SLO rules and stated below and in each signal's section; `severity` says who is woken up. Alertmanager routes written for `sla_impact` route on `severity` instead.";
