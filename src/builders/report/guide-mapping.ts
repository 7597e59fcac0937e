import { GUIDE_ALERT_FATES } from '../../model/guide-fates.js';
import { GUIDE_ALERTS, type GuideAlertName, SLA_IMPACT_DECISION } from '../../model/provenance.js';
import type { Severity, SignalId } from '../../model/signals.js';
import { code, table } from '../../text/markdown.js';
import { countWord } from '../../text/wording.js';
import { type Audit, tierAlerts } from './audit.js';
import { sliConditionText } from './slo-numbers.js';

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
      changes.push(
        `**severity**: ${severities.map((t) => `${t.signal} ${t.severity}`).join(', ')} where the guide said ${guide.severity}: ${fate.severity ?? '(no reason declared)'}`,
      );
    }
    if (adds.length)
      changes.push(
        `**added**: ${adds
          .flatMap((t) => t.alerts)
          .map(code)
          .join(', ')}, tiers the guide did not have (reasons in the threshold table)`,
      );
    changes.push("**threshold and `for`**: in the threshold table, with the guide's values side by side");
    // What the SLI counts of the signals this guide alert became: their raw conditions, never the alerts' states.
    const counted = [...new Set(becomes.map((t) => t.signal))].flatMap((id) => {
      const sli = a.sli.get(id);
      if (!sli) return [];
      const via = a.sliInputs.filter((i) => sli.via.includes(i.signal.id));
      return sli.direct
        ? [`the SLI counts as downtime every evaluation at which ${sliConditionText(sli.direct)}: the raw condition, not the alert firing`]
        : [`the SLI reads ${code(id)} only through ${via.map(sliConditionText).join(', ')}: a backlog nothing moves is downtime, one that moves is not`];
    });
    const others = becomes.filter((t) => !a.sli.has(t.signal)).flatMap((t) => t.alerts);
    const wholeFlow = becomes.some((t) => a.sli.get(t.signal)?.direct?.sourceConnectorOnly === false || (a.sli.get(t.signal) && !a.sli.get(t.signal)!.direct));
    let impact =
      `**sla_impact** ${guide.slaImpact}: not restored as a label (see above); ` +
      (counted.length
        ? `${counted.join('; ')}${others.length ? `; ${others.map(code).join(', ')} ${others.length === 1 ? 'does' : 'do'} not spend the budget` : ''}`
        : names.length === 1
          ? `${code(names[0]!)} does not spend the error budget`
          : `none of ${names.map(code).join(', ')} spends the error budget`) +
      // Where the bundle's impact and the guide's disagree, say so.
      (counted.length && guide.slaImpact === 'low' && wholeFlow ? `, although the guide rates its impact low` : '') +
      (counted.length && !wholeFlow && guide.slaImpact === 'low'
        ? `: the checkpoint and heartbeat connectors carry no data, so their outages are not downtime, as the guide's low impact has it`
        : '') +
      (!counted.length && guide.slaImpact === 'high' ? `, although the guide rates its impact high: data that arrives late is not downtime for the SLI` : '');
    // A tier the bundle added may count where the guide's own alert does not (the heartbeats that cross the flow).
    const addedCounted = adds.filter((t) => !becomes.some((b) => b.signal === t.signal) && a.sli.get(t.signal)?.direct);
    if (addedCounted.length) {
      impact += `; the added ${addedCounted
        .flatMap((t) => t.alerts)
        .map(code)
        .join(
          ', ',
        )} ${addedCounted.length === 1 ? 'watches' : 'watch'} a condition the SLI counts: ${addedCounted.map((t) => sliConditionText(a.sli.get(t.signal)!.direct!)).join(', ')}`;
    }
    changes.push(impact);
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
    "## The guide's alerts in this bundle",
    '',
    `The guide's section 7 has ${countWord(Object.keys(GUIDE_ALERTS).length)} alerts. Each is replaced by the bundle alerts below; every change is listed with its reason, and none of the guide's alerts is dropped.`,
    '',
    `**\`sla_impact\`.** ${SLA_IMPACT_DECISION}`,
    '',
    table(['Guide alert (§7)', 'Guide expression', 'Guide severity', 'Guide sla_impact', 'Bundle alerts', 'What changed, and why'], rows),
  ].join('\n');
}
