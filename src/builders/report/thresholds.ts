import { runbookUrl, signalAlertName } from '../../conventions/names.js';
import type { ResolvedSignal } from '../../model/model.js';
import { guideText } from '../../model/provenance.js';
import type { Severity } from '../../model/signals.js';
import { anchor, code, codeBlock, table } from '../../text/markdown.js';
import { badWhen, plural } from '../../text/wording.js';
import { type Audit, declaredOf, tiersOf } from './audit.js';
import { guideMappingSection } from './guide-mapping.js';
import { partitionSeriesSection } from './partition-series.js';
import { fieldName, guideRefOf, provenanceLabel, provenanceSentence } from './provenance-text.js';
import type { Use } from './signal-usage.js';
import { slaSection } from './sla-arithmetic.js';

/** The heading of the threshold table; rows link to signal sections and back. */
export const THRESHOLD_TABLE_HEADING = '## Thresholds';
const THRESHOLD_TABLE_HEADER = ['Signal', 'Tier', 'Fires when', '`for`', 'Threshold from', '`for` from', 'The guide says'] as const;

function heading(s: ResolvedSignal): string {
  return `${s.id}: ${s.def.title}`;
}

/**
 * One row per signal and tier, and the only place of the report that prints a tier's value:
 * a change of one threshold or `for` changes exactly this row (test/builders/report/diff.test.ts).
 */
export function thresholdRow(s: ResolvedSignal, severity: Severity | undefined): string[] {
  const link = `[${s.id}](#${anchor(heading(s))})`;
  if (!severity) return [link, 'none', 'no alert', '-', '-', '-', '-'];
  const tier = s.tiers[severity]!;
  const from = s.audit.tiers[severity]!;
  const why = `#${anchor(heading(s))}`;
  const guide = [...new Set([guideRefOf(from.threshold), guideRefOf(from.for)].flatMap((r) => (r ? [guideText(r)] : [])))];
  return [
    link,
    severity,
    badWhen(s.def.direction, tier.threshold, s.def.unit),
    tier.for,
    provenanceLabel(from.threshold, why, s, 'threshold'),
    provenanceLabel(from.for, why, s, 'for'),
    guide.length ? guide.join('; ') : 'nothing',
  ];
}

function thresholdTable(a: Audit): string {
  const rows = a.model.signals.flatMap((s) => {
    const tiers = tiersOf(s);
    return tiers.length ? tiers.map((sev) => thresholdRow(s, sev)) : [thresholdRow(s, undefined)];
  });
  const tiers = a.model.signals.reduce((n, s) => n + tiersOf(s).length, 0);
  const kinds = a.model.signals.flatMap((s) => tiersOf(s).flatMap((sev) => [s.audit.tiers[sev]!.threshold.kind, s.audit.tiers[sev]!.for.kind]));
  const count = (kind: string) => kinds.filter((k) => k === kind).length;
  return [
    THRESHOLD_TABLE_HEADING,
    '',
    `${plural(a.model.signals.length, 'signal', 'signals')}, ${plural(tiers, 'alerting tier', 'alerting tiers')}: one row per tier (and one for each signal without a tier). ` +
      `Of the ${plural(kinds.length, 'value', 'values')} (a threshold and a \`for\` per tier), ${count('guide')} ${count('guide') === 1 ? 'is' : 'are'} the guide's, ` +
      `${count('adapted')} adapted from it, ${count('decision')} ours where the guide has none, and ${count('override')} set by an override file. ` +
      '"guide" is the value of the MM2 tuning guide this project started from, at the place quoted in the last column; "ours" links to the reason in the signal\'s section; ' +
      '"override" names the file and key that set it.',
    '',
    table(THRESHOLD_TABLE_HEADER, rows),
  ].join('\n');
}

function via(use: Use): string {
  const what = use.via.length === 0 ? 'its recorded series' : `via ${use.via.map(code).join(', ')}`;
  return use.filterOnly ? `${what}, only to filter (right of and/unless)` : what;
}

/** Why a count of alerts or panels is what it is: "2 alerts: 2 on its own tiers, ...". */
function explainCount(total: number, one: string, many: string, parts: readonly [number, string, string][]): string {
  const shown = parts.filter(([n]) => n > 0);
  if (shown.length === 1) return `${plural(total, one, many)}, ${total === 1 ? '' : 'all '}${shown[0]![2]}`;
  return `${plural(total, one, many)}${shown.length ? `: ${shown.map(([n, what]) => `${n} ${what}`).join(', ')}` : ''}`;
}

function reasoning(s: ResolvedSignal): string[] {
  const lines: string[] = [];
  for (const sev of tiersOf(s)) {
    const from = s.audit.tiers[sev]!;
    for (const field of ['threshold', 'for'] as const) {
      const declared = declaredOf(from[field]);
      lines.push(`- ${fieldName(sev, field)}: ${declared ? provenanceSentence(declared) : 'no default; set by the override file only.'}`);
    }
  }
  return lines;
}

function signalSection(a: Audit, s: ResolvedSignal): string {
  const u = a.usage.get(s.id)!;
  const sli = a.sli.get(s.id);
  const scope = s.def.scope === 'flow' ? `per flow${s.def.by.length ? `, by ${s.def.by.join(', ')}` : ''}` : 'whole Connect cluster';
  const out: string[] = [
    `### ${heading(s)}`,
    '',
    `- **Measures**: ${s.def.meaning}`,
    `- **Why it matters for the SLA**: ${s.audit.slaRole}`,
    `- **Error budget**: ${
      sli
        ? sli.direct
          ? `counts against it: the flow is unavailable at every evaluation at which it is past its critical threshold${sli.direct.sourceConnectorOnly ? ' for the source connector' : ''} (the raw condition, not its alert's state; debounced, see [SLI](#sli)).`
          : `counts against it through ${sli.via.map(code).join(', ')}, whose condition reads it (see [SLI](#sli)).`
        : tiersOf(s).length
          ? 'does not count against it: its alerts page or warn on their own.'
          : 'does not count against it.'
    }`,
    `- **On breach**: ${s.audit.onBreach}`,
    `- **Recorded as** ${code(s.def.record)} (${scope}); runbook ${
      tiersOf(s)
        .map((sev) => runbookUrl(a.model.prometheus.runbookBaseUrl, signalAlertName(s.id, sev)))
        .join(', ') || a.model.prometheus.runbookBaseUrl
    }`,
    '',
  ];
  const why = reasoning(s);
  if (why.length) out.push(`Where the defaults come from (values in [the threshold table](#thresholds)):`, '', ...why, '');
  else out.push('No threshold: the signal is context for the others.', '');
  if (u.recordings.length === 0) {
    out.push('**PromQL:** no recording rule of the bundle records this signal.', '');
  } else {
    out.push('**PromQL** (recording rule expression):', '');
    for (const r of u.recordings) {
      const flow = r.labels['flow'];
      out.push(`${flow ? `Flow ${code(flow)}` : 'Cluster'}:`, '', codeBlock('promql', r.expr), '');
    }
  }
  const own = u.alerts.filter((x) => x.via.length === 0).length;
  out.push(
    `**Alerts**: ${explainCount(u.alerts.length, 'alert reads it', 'alerts read it', [
      [own, 'on its own recorded series', 'on its own recorded series'],
      [u.alerts.length - own, 'through series built on it', 'through series built on it'],
    ])}.`,
    '',
  );
  if (u.alerts.length)
    out.push(
      table(
        ['Alert', 'Severity', 'Reads the signal'],
        u.alerts.map((x) => [x.name, x.labels['severity'] ?? '-', via(x)]),
      ),
      '',
    );
  const showing = u.panels.filter((p) => p.via.length === 0 && !p.filterOnly).length;
  const alertLists = u.panels.filter((p) => !p.filterOnly && p.via.length > 0 && p.via.every((v) => v.startsWith('ALERTS{'))).length;
  const filtering = u.panels.filter((p) => p.filterOnly).length;
  out.push(
    `**Panels**: ${explainCount(u.panels.length, 'panel query reads it', 'panel queries read it', [
      [showing, showing === 1 ? 'shows its value' : 'show its value', 'showing its value'],
      [u.panels.length - showing - alertLists - filtering, 'through series built on it', 'through series built on it'],
      [alertLists, alertLists === 1 ? 'lists its alerts firing' : 'list its alerts firing', 'listing its alerts firing'],
      [filtering, filtering === 1 ? 'only filters by it' : 'only filter by it', 'only filtering by it'],
    ])}.`,
    '',
  );
  if (u.panels.length)
    out.push(
      table(
        ['Dashboard', 'Panel', 'Query', 'Reads the signal'],
        u.panels.map((p) => [p.dashboard, p.panel, p.refId, via(p)]),
      ),
      '',
    );
  return out.join('\n');
}

/** Every alert of the bundle, once, with the signals it reads: nothing fires that a reviewer cannot find here. */
function alertIndex(a: Audit): string {
  const alerts = a.rules.filter((r) => r.kind === 'alert');
  const signalsOf = (file: string, name: string) =>
    a.model.signals.filter((s) => a.usage.get(s.id)!.alerts.some((x) => x.file === file && x.name === name)).map((s) => s.id);
  const rows = alerts.map((x) => {
    const ids = signalsOf(x.file, x.name);
    return [x.name, x.labels['severity'] ?? '-', ids.length > 0 ? ids.join(', ') : '(none)', `${x.file} (${x.group})`];
  });
  const untied = alerts.filter((x) => signalsOf(x.file, x.name).length === 0);
  const out = [
    '## Every alert',
    '',
    `${plural(alerts.length, 'alert', 'alerts')} in the rule files, with the signals each one reads (directly or through series built on them); \`for\` and thresholds are in the tables above.`,
    '',
    table(['Alert', 'Severity', 'Signals read', 'File (group)'], rows),
    '',
  ];
  if (untied.length > 0) {
    out.push('### Alerts that read no signal', '', 'Their expressions, since no signal section above explains them:', '');
    for (const x of untied) out.push(`${code(x.name)} (${x.file}):`, '', codeBlock('promql', x.expr), '');
  }
  return out.join('\n');
}

/**
 * The reviewers' view of the thresholds: the threshold table (every tier, its provenance and
 * the guide's value), a section per signal (what it measures, why it matters, what a breach
 * means, where its defaults come from, who uses it), the guide's alerts mapped to the bundle's,
 * the SLA arithmetic and an index of every alert. Read from the model and from the files the
 * other builders generated.
 */
export function thresholdsReport(a: Audit): string {
  const m = a.model;
  return [
    '# Threshold audit',
    '',
    `Configuration: ${m.origin}. Flows: ${m.flows.map((f) => code(f.id)).join(', ')}. ` +
      `Scrape every ${m.prometheus.scrapeInterval}, rules evaluated every ${m.prometheus.evaluationInterval}, rate window ${m.prometheus.rateWindow}.`,
    '',
    'How to read it: a value is bad at or above the threshold for signals that are bad when high, and below it for signals that are bad when low, ' +
      'the comparison the alerts make and the dashboards colour by, so the bands are contiguous (ok ends where warning starts, warning where critical starts). ' +
      'An alert fires once the value has stayed bad for its `for`. Where the guide writes `> X` the bundle fires at `>= X`: ' +
      'its quantities are windowed averages, maxima and extrapolated `increase()` counts, on which the two differ only at exactly X, and a count `> 0` is `>= 1`.',
    '',
    thresholdTable(a),
    '',
    '## Signals',
    '',
    ...m.signals.map((s) => signalSection(a, s)),
    partitionSeriesSection(a.partitionSeries),
    '',
    guideMappingSection(a),
    '',
    slaSection(m, a.rules, a.sliInputs, a.late),
    '',
    alertIndex(a),
  ].join('\n');
}
