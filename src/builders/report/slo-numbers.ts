import { YEAR_SECONDS } from '../../conventions/duration.js';
import { SLO_SERIES } from '../../conventions/names.js';
import type { Rule } from '../../documents/rules.js';
import { SLI_CONDITIONS, sliTier } from '../../model/error-budget.js';
import { type Model, type ResolvedSignal, signal } from '../../model/model.js';

/**
 * What the SLA and its burn-rate tiers mean in time: every number is computed from the model
 * and from the rules the bundle generated, never typed.
 */

/** One raw condition of the SLI: a signal compared with its critical threshold at every evaluation. */
export interface SliInput {
  readonly signal: ResolvedSignal;
  /** Only the flow's source connector counts (its checkpoint and heartbeat connectors carry no data). */
  readonly sourceConnectorOnly: boolean;
}

/**
 * The SLI's conditions as the bundle built them: the signals whose recorded series the SLO's
 * outage rule reads, in the order the SLO declares them. No alert state is among them: the SLI
 * counts raw conditions, so no alert's `for` delays or shortens what it counts.
 */
export function sliInputs(model: Model, rules: readonly Rule[]): SliInput[] {
  const read = new Set(rules.filter((r) => r.kind === 'record' && r.name === SLO_SERIES.outage).flatMap((r) => [...r.reads]));
  return SLI_CONDITIONS.flatMap((c) => {
    const s = signal(model, c.signal);
    if (!sliTier(s.tiers) || !read.has(s.def.record)) return [];
    return [{ signal: s, sourceConnectorOnly: c.sourceConnectorOnly === true }];
  });
}

/**
 * "`failedTasks` is past its critical threshold (source connector only)". The value itself is printed
 * only in the threshold table, so that a threshold change changes one line of the report.
 */
export function sliConditionText(i: SliInput): string {
  return `\`${i.signal.id}\` is past its critical threshold${i.sourceConnectorOnly ? ' (source connector only)' : ''}`;
}

/** Whether any SLO rule reads alert states (ALERTS): the SLI of this bundle never should. */
export function sliReadsAlerts(rules: readonly Rule[]): boolean {
  return rules.some((r) => r.kind === 'record' && r.name.startsWith('mm2_flow:slo_') && r.alertSelectors.length > 0);
}

export interface SlaNumbers {
  readonly objective: number;
  readonly budgetRatio: number;
  readonly perYear: number;
  readonly perPeriod: number;
  readonly perWeek: number;
  readonly perDay: number;
  /** The objective rounded to two decimals of a percent (what "nines" a reader may round it to) and its yearly budget. */
  readonly roundedObjective: number;
  readonly roundedObjectivePerYear: number;
}

export function slaNumbers(model: Model): SlaNumbers {
  const sla = model.sla;
  const roundedObjective = Math.round(sla.objective * 10_000) / 10_000;
  return {
    objective: sla.objective,
    budgetRatio: sla.errorBudgetRatio,
    perYear: sla.errorBudgetSecondsPerYear,
    perPeriod: sla.errorBudgetSecondsPerPeriod,
    perWeek: sla.errorBudgetRatio * 7 * 86_400,
    perDay: sla.errorBudgetRatio * 86_400,
    roundedObjective,
    roundedObjectivePerYear: (1 - roundedObjective) * YEAR_SECONDS,
  };
}
