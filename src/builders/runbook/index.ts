import { badComparison } from '../../conventions/direction.js';
import { LABEL_WORDS } from '../../conventions/labels.js';
import { burnRateAlertName, runbookAnchor, runbookUrl, SLO_SIGNAL_LABEL, signalAlertName, WATCHDOG_SIGNAL_LABEL } from '../../conventions/names.js';
import { type Document, markdownFile } from '../../documents/document.js';
import type { Queries } from '../../documents/queries.js';
import type { Rule } from '../../documents/rules.js';
import { SLI_CONDITIONS, sliTier } from '../../model/error-budget.js';
import type { Model, ResolvedSignal } from '../../model/model.js';
import { routingOf } from '../../model/routing.js';
import { RUNBOOK_ADVICE, type RunbookAdvice, type RunbookTopic, SLO_RUNBOOK_TOPIC, WATCHDOG_RUNBOOK_TOPIC } from '../../model/runbook.js';
import { SEVERITIES } from '../../model/signals.js';
import { sliConditionExprs } from '../../model/sli.js';
import { CONNECT_REST_PORT, connectorsOf } from '../../model/topology.js';
import { code, codeBlock, table } from '../../text/markdown.js';
import { andList } from '../../text/wording.js';

/** Beside the rule files whose runbook_url points at it. */
export const RUNBOOK_PATH = 'alerts/RUNBOOK.md';

/** An alert whose runbook section cannot be written: the build fails rather than link to nothing. */
export class MissingRunbookError extends Error {}

/** The topic of an alert's advice, from its `signal` label (every alert of the bundle carries one). */
function topicOf(model: Model, alert: Rule): { topic: RunbookTopic; signal: ResolvedSignal | undefined } {
  const label = alert.labels.signal;
  if (label === SLO_SIGNAL_LABEL) return { topic: SLO_RUNBOOK_TOPIC, signal: undefined };
  if (label === WATCHDOG_SIGNAL_LABEL) return { topic: WATCHDOG_RUNBOOK_TOPIC, signal: undefined };
  const signal = model.signals.find((s) => s.id === label);
  if (!signal) {
    throw new MissingRunbookError(
      `${alert.file}: alert ${alert.name} has ${label === undefined ? 'no signal label' : `signal label "${label}", which is no signal of the model`}: ` +
        `its runbook section has no advice to show. Give it the signal it belongs to, or declare a topic for it in src/model/runbook.ts.`,
    );
  }
  return { topic: signal.def.runbook, signal };
}

function adviceOf(topic: RunbookTopic, alert: Rule): RunbookAdvice {
  const advice = (RUNBOOK_ADVICE as Partial<Record<string, RunbookAdvice>>)[topic];
  if (!advice?.confirm.length || !advice.fix.length || !advice.escalate.length) {
    throw new MissingRunbookError(
      `${alert.file}: alert ${alert.name}: runbook topic "${topic}" has no confirm/fix/escalate advice in its signal topic module (src/model/signal-topics/) or src/model/runbook.ts`,
    );
  }
  return advice;
}

const numbered = (items: readonly string[]) => items.map((t, i) => `${i + 1}. ${t}`).join('\n');

/**
 * An annotation as the runbook prints it: Prometheus fills `{{ $labels.flow }}` in when the alert
 * fires, the runbook says what goes there (`<flow>`, `<worker>` for an instance), as its commands do.
 */
function placeholders(text: string): string {
  return text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, label: string) => `\`<${LABEL_WORDS[label] ?? label}>\``);
}

/** The SLI's raw conditions of each flow, as the step that shows which one holds: the cause comes before its alert, which waits its `for`. */
function sliConditionsStep(model: Model): string {
  const blocks = model.flows.map((f) => {
    const query = sliConditionExprs(model, f)
      .map((c) => c.expr)
      .join('\nor ');
    return `${model.flows.length > 1 ? `   Flow ${code(f.id)}:\n\n` : ''}${codeBlock('promql', query)
      .split('\n')
      .map((l) => `   ${l}`)
      .join('\n')}`;
  });
  return (
    "Which of the SLI's conditions holds now: run this in Prometheus. Each series it returns is a condition that makes the flow unavailable, with the connector or task it is about; " +
    "the page comes before the cause's own alert, which waits its `for`. Nothing returned: the flow is available again, and the page keeps firing for its short window after it.\n\n" +
    blocks.join('\n\n')
  );
}

/** Which burn-rate alerts page and which open a ticket, as the model has them. */
function sloEscalation(model: Model): string {
  const names = (pages: boolean) => model.sla.burnRateAlerts.filter((a) => a.pages === pages).map((a) => burnRateAlertName(a.name));
  const pages = names(true);
  const tickets = names(false);
  return (
    `${pages.length ? `${andList(pages)} ${pages.length === 1 ? 'pages' : 'page'}: the flow is down now and its budget is going within hours or days at this pace; tell the service owner. ` : ''}` +
    `${tickets.length ? `${andList(tickets)} ${tickets.length === 1 ? 'is a ticket' : 'are tickets'}, for working hours: a review of what spent the budget and keeps failing.` : ''}`
  );
}
const bullets = (items: readonly string[]) => items.map((t) => `- ${t}`).join('\n');

function thresholdsOf(signal: ResolvedSignal, alert: Rule): string {
  const op = badComparison(signal.def.direction);
  const rows = [...SEVERITIES].reverse().flatMap((sev) => {
    const tier = signal.tiers[sev];
    if (!tier) return [];
    const mark = alert.labels.severity === sev ? ' (this alert)' : '';
    return [[`${sev}${mark}`, `${code(`${op} ${tier.threshold}`)} ${signal.def.unit}`, code(tier.for)]];
  });
  return [table(['tier', 'fires when the value is', 'for'], rows), '', 'Where each value comes from: THRESHOLDS.md, section of the signal.'].join('\n');
}

/** The recording rules an expression reads, followed down the chain (an SLO alert reads burn rates, which read ratios...). */
function recordingsRead(expr: Rule['reads'], records: ReadonlyMap<string, Rule[]>): Rule[] {
  const out: Rule[] = [];
  const seen = new Set<string>();
  const visit = (names: Iterable<string>) => {
    for (const n of names) {
      if (seen.has(n) || !records.has(n)) continue;
      seen.add(n);
      for (const r of records.get(n)!) out.push(r);
      for (const r of records.get(n)!) visit(r.reads);
    }
  };
  visit(expr);
  return out;
}

/** The conditions the SLI counts, linked to the sections of their critical alerts (the same list the SLO rules read). */
function sliConditions(model: Model): string {
  return SLI_CONDITIONS.map((c) => {
    const s = model.signals.find((x) => x.id === c.signal);
    const tier = s ? sliTier(s.tiers) : undefined;
    if (!s || !tier) return undefined;
    const alert = signalAlertName(s.id, s.tiers.critical ? 'critical' : 'warning');
    const which = c.sourceConnectorOnly ? ' (source connector only)' : '';
    return `${code(s.id)}${which} ${badComparison(s.def.direction)} ${tier.threshold} ([${alert}](#${runbookAnchor(alert)}))`;
  })
    .filter((x): x is string => x !== undefined)
    .join(', ');
}

function alertSection(model: Model, alert: Rule, records: ReadonlyMap<string, Rule[]>): string {
  const { topic, signal } = topicOf(model, alert);
  const advice = adviceOf(topic, alert);
  // Following the whole chain of an SLO alert would print every SLO rule; the direct reads are what on-call queries.
  const read = signal ? recordingsRead(alert.reads, records) : [...alert.reads].flatMap((n) => records.get(n) ?? []);
  const expected = runbookUrl(model.prometheus.runbookBaseUrl, alert.name);
  if (alert.annotations.runbook_url !== expected) {
    throw new MissingRunbookError(
      `${alert.file}: alert ${alert.name}: runbook_url is ${JSON.stringify(alert.annotations.runbook_url)}, expected ${expected} (its section of ${RUNBOOK_PATH})`,
    );
  }
  const out = [
    `## ${alert.name}`,
    '',
    `<a id="${runbookAnchor(alert.name)}"></a>`,
    '',
    `**${alert.labels.severity ?? 'no severity'}** · signal ${code(alert.labels.signal ?? '')} · ${code(alert.file)}, group ${code(alert.group)}`,
    '',
    `**What it means.** ${placeholders(alert.annotations.summary ?? '')}${signal ? ` ${signal.def.meaning}` : ''}`,
    '',
  ];
  if (signal) out.push(`**Why it matters.** ${signal.audit.slaRole}`, '', `**On breach.** ${signal.audit.onBreach}`, '');
  else if (topic === SLO_RUNBOOK_TOPIC) {
    out.push(
      `**What the SLI counts.** A flow is unavailable while one of these conditions holds, at every evaluation (the recorded series against the threshold, not the alerts' \`for\`): ${sliConditions(model)}.`,
      '',
    );
  } else if (topic === WATCHDOG_RUNBOOK_TOPIC) {
    out.push(
      '**When it stops arriving.** The alert itself is never the problem: its absence at its receiver is. No Watchdog means Prometheus is down or no longer evaluates these rules, ' +
        'or it cannot reach Alertmanager, or Alertmanager cannot deliver to the receiver: every other alert of this bundle is silent for the same reason.',
      '',
    );
  }
  out.push(
    `**Fires when** this holds for ${code(alert.for ?? '0s')}${alert.keepFiringFor ? `, and keeps firing for ${code(alert.keepFiringFor)} once it no longer holds` : ''}:`,
    '',
    codeBlock('promql', alert.expr),
    '',
  );
  if (signal) out.push('**Thresholds in force:**', '', thresholdsOf(signal, alert), '');
  if (read.length) {
    out.push('**What it reads** (recording rules of the bundle; query them in Prometheus to see the value per flow):', '');
    for (const r of read) {
      const labels = Object.entries(r.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ');
      out.push(`${code(r.name)}${labels ? ` {${labels}}` : ''}:`, '', codeBlock('promql', r.expr), '');
    }
  }
  const slo = topic === SLO_RUNBOOK_TOPIC;
  const confirm =
    topic === WATCHDOG_RUNBOOK_TOPIC
      ? advice.confirm.map((t) => t.replaceAll('<watchdog receiver>', code(routingOf(model).watchdog)).replaceAll('<watchdog group>', code(alert.group)))
      : advice.confirm;
  out.push('**How to confirm on the cluster:**', '', numbered(slo ? [sliConditionsStep(model), ...confirm] : confirm), '');
  out.push('**How to fix:**', '', numbered(advice.fix), '');
  out.push('**When to escalate:**', '', bullets(slo ? [sloEscalation(model), ...advice.escalate] : advice.escalate), '');
  return out.join('\n');
}

function introduction(model: Model, alerts: readonly Rule[]): string {
  const flows = table(
    ['flow', 'source -> target', 'connectors (tasks.max)'],
    model.flows.map((f) => [
      code(f.id),
      `${f.source} -> ${f.target}`,
      connectorsOf(f)
        .map((c) => `${code(c.name)} (${c.tasksMax})`)
        .join(', '),
    ]),
  );
  return [
    '# MirrorMaker 2 runbook',
    '',
    `One section per alert of the bundle; each alert's \`runbook_url\` is ${code(model.prometheus.runbookBaseUrl)} followed by its section's anchor (the alert name in lower case). ` +
      `Serve this file at that URL (\`prometheus.runbookBaseUrl\` in the model), e.g. from the repository that holds the bundle.`,
    '',
    'Commands use these placeholders; set them once in your shell:',
    '',
    bullets([
      `\`$CONNECT\`: any worker's Connect REST listener, e.g. ${code(`http://${model.workers[0]!.host}:${CONNECT_REST_PORT}`)} (${CONNECT_REST_PORT} is Connect's default \`listeners\` port; the model does not know yours).`,
      `\`$SOURCE\`, \`$TARGET\`: bootstrap servers of the flow's source and target clusters; \`$CLIENT_CONFIG\`: a client properties file with their security settings (SASL_SSL in the tuning guide).`,
      "`<flow>`, `<connector>`, `<task>`, `<topic>`, `<worker>`: from the alert's labels (`flow`, `connector`, `task`, `topic`, `instance`), or the table below; task ids come from the connector's status.",
      "Kafka CLI tools are named `kafka-*.sh` in Apache Kafka's distribution and without `.sh` in Confluent Platform's.",
    ]),
    '',
    'Flows and connectors of this bundle:',
    '',
    flows,
    '',
    `Workers: ${model.workers.map((w) => code(w.host)).join(', ')}; Prometheus job ${code(model.prometheus.job)}, cluster ${code(model.prometheus.cluster)}.`,
    '',
    'Alerts:',
    '',
    bullets(alerts.map((a) => `[${a.name}](#${runbookAnchor(a.name)}) (${a.labels.severity ?? 'no severity'})`)),
    '',
  ].join('\n');
}

/** RUNBOOK.md from the alert rules the bundle really holds: an alert added anywhere gets its section, or fails the build. */
export function buildRunbookFiles(model: Model, { rules }: Pick<Queries, 'rules'>): Document[] {
  const alerts = rules.filter((r) => r.kind === 'alert');
  const records = new Map<string, Rule[]>();
  for (const r of rules) if (r.kind === 'record') records.set(r.name, [...(records.get(r.name) ?? []), r]);
  const body = [introduction(model, alerts), ...alerts.map((a) => alertSection(model, a, records))].join('\n');
  return [markdownFile(RUNBOOK_PATH, model, 'Runbook: one section per alert of the bundle', body)];
}
