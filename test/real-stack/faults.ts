import { spawnSync } from 'node:child_process';
import type { PrometheusServer } from '../../bench/lib/prometheus.js';
import { FLOW_LABEL } from '../../src/conventions/labels.js';
import { SLO_SIGNAL_LABEL, WATCHDOG_ALERT } from '../../src/conventions/names.js';
import { byKey } from '../../src/conventions/order.js';
import { type TimedAlert, timedAlerts } from '../e2e/prometheus-api.js';
import type { WebhookSink } from './webhook.js';

/**
 * Timing of alerts on the real stack, alert by alert (one alert is an alert name and its
 * labels: the same rule fires once per flow, per connector): when it is first pending and
 * firing after a fault, when its notification reaches a receiver, when it clears after the
 * repair. Faults on different flows run at the same time, so every question is asked of a
 * scope: what a fault touched.
 */

/**
 * What a fault touches: one connector of a flow, a whole flow, or (no flow) the Connect
 * cluster, which holds every flow. An alert belongs to a flow's scope by its `flow` label, and
 * to a connector's by its `connector` label when it has one (the flow's own alerts, such as its
 * SLO, belong to every connector of the flow). Alerts without a flow label are cluster-wide:
 * they belong to the cluster scope only.
 */
export interface Scope {
  readonly flow?: string;
  readonly connector?: string;
}

export const CLUSTER: Scope = {};

type Labels = Readonly<Record<string, string>>;

export function inScope(labels: Labels, scope: Scope): boolean {
  if (scope.flow === undefined) return true;
  if (labels[FLOW_LABEL] !== scope.flow) return false;
  return scope.connector === undefined || labels['connector'] === undefined || labels['connector'] === scope.connector;
}

export function clusterWide(labels: Labels): boolean {
  return labels[FLOW_LABEL] === undefined;
}

/** Two faults may run at once only when neither can move the other's alerts. */
export function overlaps(a: Scope, b: Scope): boolean {
  if (a.flow === undefined || b.flow === undefined) return true;
  if (a.flow !== b.flow) return false;
  return a.connector === undefined || b.connector === undefined || a.connector === b.connector;
}

/**
 * The alerts a fault on `scope` answers for: its own, and the cluster-wide ones (a fault on one
 * flow must not raise a cluster alert either; only cluster-wide faults, which run alone, may).
 */
export function answersFor(scope: Scope): (labels: Labels) => boolean {
  return (labels) => inScope(labels, scope) || clusterWide(labels);
}

export function describeScope(scope: Scope): string {
  if (scope.flow === undefined) return 'cluster';
  return scope.connector === undefined ? `flow ${scope.flow}` : `connector ${scope.connector} (flow ${scope.flow})`;
}

/**
 * One alert (name and labels) from the poll it was first seen active until the poll it was gone.
 * It turned pending and firing when Prometheus says (`activeAt`, and `for` after it): a busy
 * machine delays the polls, not the rule evaluations that are judged.
 */
export interface AlertEpisode {
  readonly name: string;
  readonly labels: Labels;
  readonly seenAt: number;
  readonly pendingAt: number;
  readonly forSeconds: number;
  firingAt?: number;
  endedAt?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alertKey = (labels: Labels) =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k !== 'alertstate')
      .sort(byKey),
  );

/** Watches Prometheus' alerts every 2 s, alert by alert; the Watchdog, which always fires, is left out. */
export class AlertWatch {
  readonly episodes: AlertEpisode[] = [];
  private readonly open = new Map<string, AlertEpisode>();
  private active: TimedAlert[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly prometheus: PrometheusServer) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.active = (await timedAlerts(this.prometheus)).filter((a) => a.labels['alertname'] !== WATCHDOG_ALERT);
        const now = Date.now();
        const seen = new Set<string>();
        for (const a of this.active) {
          const key = alertKey(a.labels);
          seen.add(key);
          let e = this.open.get(key);
          if (!e) {
            e = { name: a.labels['alertname']!, labels: a.labels, seenAt: now, pendingAt: Math.min(now, a.activeAt), forSeconds: a.forSeconds };
            this.open.set(key, e);
            this.episodes.push(e);
          }
          if (a.state === 'firing') e.firingAt ??= Math.min(now, e.pendingAt + 1000 * e.forSeconds);
        }
        for (const [key, e] of this.open)
          if (!seen.has(key)) {
            e.endedAt = now;
            this.open.delete(key);
          }
      } catch {
        // Prometheus busy: next round
      }
      await sleep(2000);
    }
  }

  /** Alerts active now (pending or firing) whose labels pass `filter`. */
  current(filter: (labels: Labels) => boolean = () => true): readonly TimedAlert[] {
    return this.active.filter((a) => filter(a.labels));
  }

  /**
   * Firing alerts that say something is wrong now. The burn-rate alerts say budget was spent
   * over their windows, which stays true after a repair (the paging tiers keep firing for a
   * while by design, the slow one for up to its 30-minute short window): those named in
   * `sloAlerts` count (before a fault that expects the page, which must start a new episode).
   */
  problemsNow(filter: (labels: Labels) => boolean = () => true, opts: { readonly sloAlerts?: readonly string[] } = {}): string[] {
    return [
      ...new Set(
        this.current(filter)
          .filter((a) => a.state === 'firing' && (a.labels['signal'] !== SLO_SIGNAL_LABEL || (opts.sloAlerts ?? []).includes(a.labels['alertname'] ?? '')))
          .map((a) => describeAlert(a.labels)),
      ),
    ].sort();
  }

  /**
   * Alerts that turned pending at or after `since` and fired, first firing first: what a fault
   * injected at `since` raised. One already pending then (a previous fault's recovery on its way
   * out) is not the fault's, even if its `for` runs out after.
   */
  firedSince(since: number, filter: (labels: Labels) => boolean = () => true): AlertEpisode[] {
    return this.episodes.filter((e) => e.firingAt !== undefined && e.pendingAt >= since && filter(e.labels)).sort((a, b) => a.firingAt! - b.firingAt!);
  }

  /** Alerts active (pending or firing) at any poll at or after `since`. */
  activeSince(since: number, filter: (labels: Labels) => boolean = () => true): AlertEpisode[] {
    return this.episodes.filter((e) => (e.endedAt === undefined || e.endedAt >= since) && filter(e.labels));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/** "MM2ConnectorsNotRunningCritical{connector=...,flow=...}": the labels that tell one alert of a rule from another. */
export function describeAlert(labels: Labels): string {
  const own = Object.entries(labels)
    .filter(([k]) => k === FLOW_LABEL || k === 'connector' || k === 'instance' || k === 'topic' || k === 'task')
    .sort(byKey)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${labels['alertname']}${own ? `{${own}}` : ''}`;
}

/** Waits until `done` holds, polling every second; returns false on timeout. */
export async function within(timeoutMs: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(1000);
  }
  return done();
}

/** The receiver Alertmanager's routing tree picks for these labels, asked of amtool (the routing's own implementation). */
export function routedReceiver(alertmanagerConfig: string, labels: Labels): string {
  const r = spawnSync('amtool', ['config', 'routes', 'test', `--config.file=${alertmanagerConfig}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`amtool config routes test failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** One alert a fault must raise: a rule's alert name, on the labels of what the fault touched. */
export interface ExpectedAlert {
  /** How the report names it: the alert name, and the flow when the fault expects it of every flow. */
  readonly key: string;
  readonly name: string;
  readonly matches: (labels: Labels) => boolean;
}

/** The first notification of `status` for each expected alert delivered at or after `since`. */
export function deliveries(
  sink: WebhookSink,
  since: number,
  expected: readonly ExpectedAlert[],
  status: 'firing' | 'resolved' = 'firing',
): Record<string, { receiver: string; seconds: number }> {
  const out: Record<string, { receiver: string; seconds: number }> = {};
  for (const d of sink.delivered(since, status)) {
    for (const e of expected)
      if (!out[e.key] && d.alertname === e.name && e.matches(d.labels)) out[e.key] = { receiver: d.receiver, seconds: Math.round((d.at - since) / 1000) };
  }
  return out;
}

export interface FaultReport {
  readonly fault: string;
  readonly scope: string;
  readonly expected: readonly string[];
  /** Seconds from the fault to each expected alert firing. */
  readonly detectSeconds: Readonly<Record<string, number>>;
  /** The bound the model promises for each expected alert, in seconds. */
  readonly promisedSeconds: Readonly<Record<string, number>>;
  /** Receiver each expected alert's firing notification was delivered to, and after how many seconds. */
  readonly delivered: Readonly<Record<string, { receiver: string; seconds: number }>>;
  /** Every other alert of the fault's scope (and cluster-wide) that fired during the fault, with its severity. */
  readonly alsoFired: readonly string[];
  /** Seconds the fault waited for its scope to be free and quiet before it was injected. */
  readonly waitedSeconds: number;
  /** Seconds from the fault to its repair. */
  repairSeconds?: number;
  /** Seconds from the repair until every alert of the fault's scope had cleared. */
  clearSeconds?: number;
  /** The alerts that cleared last after the repair, with when. */
  lastToClear?: readonly string[];
  /** Seconds from the fault to each expected alert's resolved notification. */
  readonly resolved: Record<string, number>;
}

export function formatReports(reports: readonly FaultReport[]): string {
  const lines = [
    '| fault | scope | waited | alert | fired after | promised | notified (receiver) | repaired after | cleared after repair (last) | resolved notified | also fired |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports) {
    for (const a of r.expected) {
      const d = r.delivered[a];
      lines.push(
        `| ${r.fault} | ${r.scope} | ${r.waitedSeconds} s | ${a} | ${r.detectSeconds[a] ?? 'never'} s | ${r.promisedSeconds[a]} s | ${d ? `${d.seconds} s (${d.receiver})` : 'no'} | ${r.repairSeconds ?? '-'} s | ${r.clearSeconds ?? '-'} s (${r.lastToClear?.join(', ') || '-'}) | ${r.resolved[a] !== undefined ? `${r.resolved[a]} s` : 'no'} | ${r.alsoFired.join(', ') || '-'} |`,
      );
    }
  }
  return lines.join('\n');
}

export interface HealthyWatch {
  /** Whether the stack went quiet (no alert even pending) within the settling time, and how long it took. */
  readonly settled: boolean;
  readonly settleMs: number;
  /** What was pending or firing while the stack settled (printed, not judged). */
  readonly settling: readonly string[];
  /** Alerts seen pending or firing during the watch. */
  readonly seen: readonly string[];
  /** Firing notifications delivered during the watch, the Watchdog's aside. */
  readonly notified: readonly string[];
}

/**
 * Waits for the stack to settle, then watches it for `watchMs`: what was pending or firing and
 * what was notified meanwhile. Settled: every target scraped up for long enough that the rules
 * have judged rates over several scrapes (`judgedAfterMs`), and no alert even pending for as
 * long (at most `settleMs`). Before that, Prometheus' first evaluations see no data or half a
 * window.
 */
export async function watchHealthy(
  watch: AlertWatch,
  sink: WebhookSink,
  prometheus: PrometheusServer,
  opts: { readonly targets: number; readonly judgedAfterMs: number; readonly settleMs: number; readonly watchMs: number },
): Promise<HealthyWatch> {
  const settling = Date.now();
  const window = `${Math.round(opts.judgedAfterMs / 1000)}s`;
  const settled = await within(opts.settleMs, async () => {
    // From the history, so that a watch that begins once the stack is long quiet begins at once.
    let judged = false;
    try {
      const up = await prometheus.api<{ result: { value: [number, string] }[] }>('query', {
        query: `count((min_over_time(up[${window}]) == 1) and (count_over_time(up[${window}]) >= 3))`,
      });
      judged = Number(up.result[0]?.value[1] ?? 0) === opts.targets;
    } catch {
      return false; // Prometheus busy: next round
    }
    const lastActive = Math.max(0, ...watch.episodes.map((e) => e.endedAt ?? Date.now()));
    return judged && watch.current().length === 0 && Date.now() - lastActive >= opts.judgedAfterMs;
  });
  const since = Date.now();
  // Unreferenced: a run that leaves the healthy test out (-t) does not wait for the watch to end.
  await new Promise((r) => setTimeout(r, opts.watchMs).unref());
  return {
    settled,
    settleMs: since - settling,
    settling: watch
      .activeSince(settling)
      .filter((e) => e.seenAt < since)
      .map((e) => `${describeAlert(e.labels)} until ${Math.round(((e.endedAt ?? since) - settling) / 1000)} s`),
    seen: watch.activeSince(since).map((e) => `${describeAlert(e.labels)} (${e.firingAt === undefined ? 'pending' : 'firing'}) ${JSON.stringify(e.labels)}`),
    notified: sink
      .delivered(since, 'firing')
      .filter((d) => d.alertname !== WATCHDOG_ALERT)
      .map((d) => `${d.receiver}: ${describeAlert(d.labels)}`),
  };
}
