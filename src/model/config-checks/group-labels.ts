import { REQUIRED_GROUP_LABELS } from '../../conventions/labels.js';
import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';

/**
 * The labels that keep this bundle's series apart from another's in one Prometheus: cluster and
 * job among the group labels, every other group label given a value, no target label the bundle
 * sets itself.
 */
export function groupLabelProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const p = config.prometheus;
  for (const l of REQUIRED_GROUP_LABELS) {
    if (!p.groupLabels.includes(l))
      problems.push({
        path: 'prometheus.groupLabels',
        message: `expected ${l} among the group labels: without it two bundles in one Prometheus write the same series`,
      });
  }
  p.groupLabels.forEach((l, i) => {
    if (!(REQUIRED_GROUP_LABELS as readonly string[]).includes(l) && p.targetLabels[l] === undefined) {
      problems.push({
        path: `prometheus.groupLabels[${i}]`,
        message: `expected a value for group label ${l} in prometheus.targetLabels (only cluster and job have one of their own)`,
      });
    }
  });
  for (const l of Object.keys(p.targetLabels)) {
    if (['job', 'instance', 'cluster', 'flow'].includes(l) || l.startsWith('__')) {
      problems.push({
        path: `prometheus.targetLabels.${l}`,
        message: `expected a label other than job, instance, cluster, flow or __*: the bundle sets those itself`,
      });
    }
  }
  return problems;
}
