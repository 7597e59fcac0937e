import { badComparison } from '../conventions/direction.js';
import { FLOW_LABEL } from '../conventions/labels.js';
import { eq, oneOf, recorded } from '../promql/selector.js';
import { SLI_CONDITIONS, sliTier } from './error-budget.js';
import { groupMatchers, type Model, type ResolvedSignal, signal } from './model.js';
import { connectorLabel, type Flow, RECORD_CONNECTOR_KINDS } from './topology.js';

/**
 * The SLI's raw conditions for one flow as PromQL: each signal's recorded series against the
 * tier the SLI compares with. The SLO's outage rule counts them; the runbook shows them to
 * on-call as the first step of a burn-rate page, so both read the same expressions.
 */
export interface SliConditionExpr {
  readonly signal: ResolvedSignal;
  readonly sourceConnectorOnly: boolean;
  /** `mm2_flow_task:failed_tasks:count{cluster=..., flow=..., connector="..."} >= 1`: series while the condition holds. */
  readonly expr: string;
}

export function sliConditionExprs(model: Model, flow: Flow): SliConditionExpr[] {
  return SLI_CONDITIONS.flatMap((c) => {
    const s = signal(model, c.signal);
    const tier = sliTier(s.tiers);
    if (!tier) return [];
    const connectors = RECORD_CONNECTOR_KINDS.map((k) => connectorLabel(flow.connectors[k]));
    const matchers = {
      ...groupMatchers(model),
      ...(s.def.scope === 'flow' ? { [FLOW_LABEL]: eq(flow.id) } : {}),
      ...(c.sourceConnectorOnly ? { connector: oneOf(connectors) } : {}),
    };
    return [
      {
        signal: s,
        sourceConnectorOnly: c.sourceConnectorOnly === true,
        expr: `${recorded(s.def.record, matchers)} ${badComparison(s.def.direction)} ${tier.threshold}`,
      },
    ];
  });
}
