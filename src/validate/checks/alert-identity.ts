import { sortedEntries } from '../../conventions/order.js';
import { defineCheck, type Finding } from '../check.js';

/**
 * No two alerts share a name and label set: Alertmanager would take them for one. pint's
 * rule/duplicate runs only per configured Prometheus server.
 */
export const alertIdentity = defineCheck({
  id: 'mm2/alert-identity',
  severity: 'bug',
  find: ({ rules }) => {
    const seen = new Map<string, string>();
    const findings: Finding[] = [];
    for (const r of rules) {
      if (r.kind !== 'alert') continue;
      const identity = JSON.stringify([r.name, sortedEntries(r.labels)]);
      const previous = seen.get(identity);
      if (previous)
        findings.push({ file: r.file, where: r.where, detail: `same name and labels as the alert in ${previous}: Alertmanager cannot tell them apart` });
      else seen.set(identity, `${r.file} group ${r.group}`);
    }
    return findings;
  },
});
