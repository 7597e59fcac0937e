import { replaySlo } from '../../../src/builders/report/slo-replay.js';
import { FLOW_LABEL } from '../../../src/conventions/labels.js';
import { burnRateAlertName, SLO_SIGNAL_LABEL } from '../../../src/conventions/names.js';
import type { BurnRateAlertName } from '../../../src/model/error-budget.js';
import type { Model } from '../../../src/model/model.js';
import { type ExpectedAlert, STEP_S } from './promtool-tests.js';

/**
 * What the burn-rate alerts should do in a promtool scenario, from the model's replay of the SLO
 * rules (src/builders/report/slo-replay.ts, the timings the report and the README print): the tests hold
 * the generated rules to it on whole simulated clusters.
 */

/** A burn-rate alert of the model's first flow, as ALERTS shows it. */
export function sloAlert(model: Model, name: BurnRateAlertName): ExpectedAlert {
  const a = model.sla.burnRateAlerts.find((x) => x.name === name);
  if (!a) throw new Error(`the model has no burn-rate alert ${name}`);
  return {
    alertname: burnRateAlertName(name),
    labels: { ...model.groupLabels, severity: a.severity, signal: SLO_SIGNAL_LABEL, [FLOW_LABEL]: model.flows[0]!.id },
  };
}

/** The SLI's raw outage series of a scenario: bad at second t or not. */
export type SliOutage = (t: number) => boolean;

/** Bad from `fromS` on, until `untilS` (exclusive) when given. */
export function sliFrom(fromS: number, untilS = Infinity): SliOutage {
  return (t) => t >= fromS && t < untilS;
}

function replay(model: Model, bad: SliOutage, untilS: number) {
  if (model.sla.evaluationSeconds !== STEP_S) throw new Error(`the scenarios evaluate every ${STEP_S}s, the model every ${model.sla.evaluationSeconds}s`);
  return replaySlo(model, (i) => bad(i * STEP_S), Math.floor(untilS / STEP_S) + 1);
}

/** The burn-rate alerts the model says are firing at `atS` for this outage. */
export function sloFiringAt(model: Model, bad: SliOutage, atS: number): ExpectedAlert[] {
  const r = replay(model, bad, atS);
  return model.sla.burnRateAlerts.filter((a) => r.firing[a.name][atS / STEP_S]).map((a) => sloAlert(model, a.name));
}

/** When the alert first fires (seconds since the scenario's start), undefined if never within `untilS`. */
export function sloFiresAt(model: Model, bad: SliOutage, name: BurnRateAlertName, untilS: number): number | undefined {
  const i = replay(model, bad, untilS).firing[name].indexOf(true);
  return i < 0 ? undefined : i * STEP_S;
}

/** The evaluations (seconds) at which the alert fires within `untilS`. */
export function sloFiringTimes(model: Model, bad: SliOutage, name: BurnRateAlertName, untilS: number): number[] {
  return replay(model, bad, untilS).firing[name].flatMap((f, i) => (f ? [i * STEP_S] : []));
}

/** Unavailable seconds the model counts at evaluations in (fromS, toS]. */
export function sloCountedSeconds(model: Model, bad: SliOutage, fromS: number, toS: number): number {
  const r = replay(model, bad, toS);
  return r.unavailable.reduce((sum, u, i) => sum + (i * STEP_S > fromS && i * STEP_S <= toS ? u * STEP_S : 0), 0);
}
