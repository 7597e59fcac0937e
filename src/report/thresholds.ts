import type { GeneratedFile } from '../bundle/files.js';
import type { Model, ResolvedSignal } from '../model/model.js';
import type { Direction, SignalId, Tier, Unit } from '../model/signals.js';
import { anchor, code, codeBlock, table } from './markdown.js';
import { slaSection } from './sla.js';
import { readRules, signalUsage, type SignalUsage, type Use } from './usage.js';

function withUnit(value: number, unit: Unit): string {
  return unit === 'percent' ? `${value} %` : `${value} ${unit}`;
}

/** "bad" and "good" comparisons, written as Grafana's threshold steps and the alerts compare. */
function bad(direction: Direction, t: number, unit: Unit): string {
  return direction === 'above' ? `>= ${withUnit(t, unit)}` : `< ${withUnit(t, unit)}`;
}
function good(direction: Direction, t: number, unit: Unit): string {
  return direction === 'above' ? `< ${withUnit(t, unit)}` : `>= ${withUnit(t, unit)}`;
}

interface Band {
  readonly band: 'ok' | 'warning' | 'critical';
  readonly values: string;
  readonly tier: Tier | undefined;
}

/** The three bands of a signal, contiguous by construction: each starts where the next worse one ends. */
function bands(s: ResolvedSignal): Band[] {
  const { unit, direction } = s.def;
  const { warning, critical } = s.tiers;
  const first = warning ?? critical;
  const ok = first ? good(direction, first.threshold, unit) : 'any value (no threshold)';
  let warn = '-';
  if (warning) {
    warn = critical
      ? direction === 'above'
        ? `${withUnit(warning.threshold, unit)} to < ${withUnit(critical.threshold, unit)}`
        : `${withUnit(critical.threshold, unit)} to < ${withUnit(warning.threshold, unit)}`
      : bad(direction, warning.threshold, unit);
  }
  const crit = critical ? bad(direction, critical.threshold, unit) : '-';
  return [
    { band: 'ok', values: ok, tier: undefined },
    { band: 'warning', values: warn, tier: warning },
    { band: 'critical', values: crit, tier: critical },
  ];
}

function heading(s: ResolvedSignal): string {
  return `${s.id}: ${s.def.title}`;
}

function overview(model: Model, usage: Map<SignalId, SignalUsage>): string {
  const tier = (t: Tier | undefined, s: ResolvedSignal) => (t ? `${bad(s.def.direction, t.threshold, s.def.unit)} for ${t.for}` : '-');
  return table(
    ['Signal', 'Unit', 'Warning', 'Critical', 'Alerts', 'Panels showing it'],
    model.signals.map((s) => {
      const u = usage.get(s.id)!;
      return [
        `[${s.id}](#${anchor(heading(s))})`,
        s.def.unit,
        tier(s.tiers.warning, s),
        tier(s.tiers.critical, s),
        String(u.alerts.length),
        String(u.panels.filter((p) => !p.filterOnly).length),
      ];
    }),
  );
}

function via(use: Use): string {
  const what = use.via.length === 0 ? 'its recorded series' : `via ${use.via.map(code).join(', ')}`;
  return use.filterOnly ? `${what}, only to filter (right of and/unless)` : what;
}

function signalSection(model: Model, s: ResolvedSignal, u: SignalUsage): string {
  const out: string[] = [`### ${heading(s)}`, '', s.def.meaning, ''];
  out.push(
    table(
      ['Property', 'Value'],
      [
        ['Unit', s.def.unit],
        ['Bad when', s.def.direction === 'above' ? 'at or above a threshold' : 'below a threshold'],
        ['Recorded as', `${code(s.def.record)} (${s.def.scope === 'flow' ? `per flow${s.def.by.length ? `, by ${s.def.by.join(', ')}` : ''}` : 'whole cluster'})`],
        ['Runbook', `${model.prometheus.runbookBaseUrl}#${s.def.runbook}`],
      ],
    ),
    '',
    table(
      ['Band', 'Values', 'for', 'Severity'],
      bands(s).map((b) => [b.band, b.values, b.tier ? b.tier.for : '-', b.tier ? b.band : '-']),
    ),
    '',
  );
  if (u.recordings.length === 0) {
    out.push('**PromQL:** no recording rule of the bundle records this signal.', '');
  } else {
    out.push('**PromQL** (recording rule expression):', '');
    for (const r of u.recordings) {
      const flow = r.labels['flow'];
      out.push(`${flow ? `Flow ${code(flow)}` : 'Cluster'}:`, '', codeBlock('promql', r.expr), '');
    }
  }
  if (u.alerts.length === 0) {
    out.push('**Alerts:** none.', '');
  } else {
    out.push(
      '**Alerts:**',
      '',
      table(
        ['Alert', 'Severity', 'for', 'Reads the signal', 'File'],
        u.alerts.map((a) => [a.name, a.labels['severity'] ?? '-', a.for ?? '-', via(a), a.file]),
      ),
      '',
    );
  }
  if (u.panels.length === 0) {
    out.push('**Panels:** none.', '');
  } else {
    out.push(
      '**Panels:**',
      '',
      table(
        ['Dashboard', 'Panel', 'Query', 'Reads the signal'],
        u.panels.map((p) => [p.dashboard, p.panel, p.refId, via(p)]),
      ),
      '',
    );
  }
  return out.join('\n');
}

/** Every alert of the bundle, once, with the signals it reads: nothing fires that a reviewer cannot find here. */
function alertIndex(model: Model, files: readonly GeneratedFile[], usage: Map<SignalId, SignalUsage>): string {
  const alerts = readRules(files).filter((r) => r.kind === 'alert');
  const signalsOf = (file: string, name: string) =>
    model.signals
      .filter((s) => usage.get(s.id)!.alerts.some((a) => a.file === file && a.name === name))
      .map((s) => s.id);
  const rows = alerts.map((a) => {
    const ids = signalsOf(a.file, a.name);
    return [a.name, a.labels['severity'] ?? '-', a.for ?? '-', ids.length > 0 ? ids.join(', ') : '(none)', `${a.file} (${a.group})`];
  });
  const untied = alerts.filter((a) => signalsOf(a.file, a.name).length === 0);
  const out = ['## Every alert', '', table(['Alert', 'Severity', 'for', 'Signals read', 'File (group)'], rows), ''];
  if (untied.length > 0) {
    out.push('### Alerts that read no signal', '', 'Their expressions, since no signal section above explains them:', '');
    for (const a of untied) out.push(`${code(a.name)} (${a.file}):`, '', codeBlock('promql', a.expr), '');
  }
  return out.join('\n');
}

/**
 * The reviewers' view of the thresholds: one section per signal with its meaning, query,
 * bands and who uses it, then the SLA arithmetic and an index of every alert. Everything is
 * read from the model and from the files the other builders generated, so a threshold
 * override shows up in the diff of this file.
 */
export function thresholdsReport(model: Model, files: readonly GeneratedFile[]): string {
  const usage = signalUsage(model, files);
  return [
    '# Threshold audit',
    '',
    `Configuration: ${model.origin}. Flows: ${model.flows.map((f) => code(f.id)).join(', ')}. ` +
      `Scrape every ${model.prometheus.scrapeInterval}, rules evaluated every ${model.prometheus.evaluationInterval}, rate window ${model.prometheus.rateWindow}.`,
    '',
    'A value is bad at or above the threshold for signals that are bad when high, and below it for signals that are bad when low: ' +
      'the same comparison the alerts make and the dashboards colour by. An alert fires once the value has stayed bad for its `for`.',
    '',
    '## Signals',
    '',
    overview(model, usage),
    '',
    ...model.signals.map((s) => signalSection(model, s, usage.get(s.id)!)),
    slaSection(model),
    '',
    alertIndex(model, files, usage),
  ].join('\n');
}
