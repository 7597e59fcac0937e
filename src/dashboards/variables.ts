import type { Model } from '../model/model.js';

/**
 * For validation: a value Grafana could substitute for each dashboard variable, taken from
 * the model (the first flow's names), so that substituted panel queries are real PromQL whose
 * label values the consistency check can trace back to the model.
 */
export function sampleVariableValues(model: Model): Record<string, string> {
  const flow = model.flows[0]!;
  return {
    datasource: 'prometheus',
    flow: flow.id,
    connector: flow.connectors.source.name,
  };
}
