import { GUIDE_ALERT_FATES, GUIDE_ALERTS, SLA_IMPACT_DECISION, type GuideAlertName } from '../model/provenance.js';
import type { Severity, SignalId } from '../model/signals.js';
import { tierAlerts, type Audit } from './audit.js';
import { code, table } from './markdown.js';
import { countWord } from './wording.js';

/** A tier of the bundle that a guide alert became, with the alert the bundle generated for it. */
export interface MappedTier {
  readonly signal: SignalId;
  readonly severity: Severity;
  /** Empty when the bundle has no alert for this tier: the mapping is then wrong, and a test says so. */
  readonly alerts: readonly string[];
}

export interface GuideAlertMapping {
  readonly name: GuideAlertName;
  readonly becomes: readonly MappedTier[];
  readonly adds: readonly MappedTier[];
  /** One line per change, each with its reason. */
  readonly changes: readonly string[];
}

function mapped(a: Audit, tiers: readonly { signal: SignalId; severity: Severity }[]): MappedTier[] {
  return tiers.map((t) => ({ ...t, alerts: tierAlerts(a, t.signal, t.severity) }));
}

export function guideAlertMappings(a: Audit): GuideAlertMapping[] {
  return (Object.keys(GUIDE_ALERTS) as GuideAlertName[]).map((name) => {
    const guide = GUIDE_ALERTS[name];
    const fate = GUIDE_ALERT_FATES[name];
    const becomes = mapped(a, fate.becomes);
    const adds = mapped(a, fate.adds ?? []);
    const names = becomes.flatMap((t) => t.alerts);
    const changes: string[] = [];
    if (!names.includes(name)) changes.push(`**name**: one alert per signal and tier, named after the signal (${names.map(code).join(', ') || 'none'})`);
    changes.push(`**expression**: ${fate.expression}`);
    const severities = becomes.filter((t) => t.severity !== guide.severity);
    if (severities.length) {
      changes.push(`**severity**: ${severities.map((t) => `${t.signal} ${t.severity}`).join(', ')} where the guide said ${guide.severity}: ${fate.severity ?? '(no reason declared)'}`);
    }
    if (adds.length) changes.push(`**added**: ${adds.flatMap((t) => t.alerts).map(code).join(', ')}, tiers the guide did not have (reasons in the threshold table)`);
    changes.push('**threshold and `for`**: in the threshold table, with the guide\'s values side by side');
    const counted = names.filter((n) => a.sliAlerts.has(n));
    changes.push(
      `**sla_impact** ${guide.slaImpact}: not restored as a label (see above); ` +
        (counted.length
          ? `the SLI counts the time ${counted.map(code).join(', ')} fires as downtime${counted.length < names.length ? ', not the others' : ''}`
          : names.length === 1
            ? `${code(names[0]!)} does not spend the error budget`
            : `none of ${names.map(code).join(', ')} spends the error budget`) +
        // Where the bundle's impact and the guide's disagree, say so.
        (counted.length && guide.slaImpact === 'low' ? `, although the guide rates its impact low` : '') +
        (!counted.length && guide.slaImpact === 'high' ? `, although the guide rates its impact high: data that arrives late is not downtime for the SLI` : ''),
    );
    return { name, becomes, adds, changes };
  });
}

export function guideMappingSection(a: Audit): string {
  const rows = guideAlertMappings(a).map((m) => {
    const g = GUIDE_ALERTS[m.name];
    return [
      m.name,
      code(g.expr),
      `${g.severity}, for ${g.for}`,
      g.slaImpact,
      m.becomes.flatMap((t) => (t.alerts.length ? t.alerts : [`(no alert for ${t.signal} ${t.severity})`])).join(', '),
      m.changes.join('<br>'),
    ];
  });
  return [
    '## The guide\'s alerts in this bundle',
    '',
    `The guide's section 7 has ${countWord(Object.keys(GUIDE_ALERTS).length)} alerts. Each is replaced by the bundle alerts below; every change is listed with its reason, and none of the guide's alerts is dropped.`,
    '',
    `**\`sla_impact\`.** ${SLA_IMPACT_DECISION}`,
    '',
    table(['Guide alert (§7)', 'Guide expression', 'Guide severity', 'Guide sla_impact', 'Bundle alerts', 'What changed, and why'], rows),
  ].join('\n');
}
