import { forEachSelector } from '../../promql/syntax.js';
import { defineCheck, type Finding } from '../check.js';

/**
 * The group labels (cluster, job) survive every rule: each recording rule sets them to the
 * bundle's values and every selector of every rule is scoped by them, so that two bundles in
 * one Prometheus never write the same series nor read each other's. pint's promql/aggregate
 * sees that an aggregation keeps them, not that a selector is scoped.
 */

/** Selectors of the expression that do not match every group label to the bundle's value. */
function unscopedSelectors(expr: string, group: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  forEachSelector(expr, (selector) => {
    const scoped = Object.entries(group).every(([k, v]) => selector.matchers.some((m) => m.label === k && m.op === '=' && m.value === v));
    if (!scoped) out.push(selector.text);
  });
  return out;
}

export const groupScope = defineCheck({
  id: 'mm2/group-scope',
  severity: 'bug',
  find: ({ rules, model }) => {
    const scope = Object.entries(model.groupLabels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    const findings: Finding[] = [];
    for (const { file, where, expr, kind, labels } of rules) {
      for (const s of unscopedSelectors(expr, model.groupLabels)) {
        findings.push({ file, where, detail: `selector ${s} is not scoped to ${scope}: it would read another Connect cluster's series` });
      }
      if (kind === 'alert') continue;
      for (const [k, v] of Object.entries(model.groupLabels)) {
        if (labels[k] !== v)
          findings.push({
            file,
            where,
            detail: `drops the group label ${k} (expected label ${k}: ${v}): two bundles in one Prometheus would write the same series`,
          });
      }
    }
    return findings;
  },
});
