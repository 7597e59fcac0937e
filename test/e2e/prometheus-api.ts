import type { PrometheusServer } from '../../bench/lib/prometheus.js';

/** The parts of Prometheus' HTTP API answers the end-to-end test reads. */
export interface ActiveTarget {
  readonly labels: Record<string, string>;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly scrapeUrl: string;
}
export interface ActiveAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly value: string;
}
export interface RangeSeries {
  readonly metric: Record<string, string>;
  readonly values: [number, string][];
}
export interface RuleGroupsAnswer {
  readonly groups: { name: string; file: string; rules: { name: string; type: 'recording' | 'alerting'; health: string; lastError?: string }[] }[];
}

export async function activeTargets(p: PrometheusServer): Promise<ActiveTarget[]> {
  return (await p.api<{ activeTargets: ActiveTarget[] }>('targets', { state: 'active' })).activeTargets;
}

export async function activeAlerts(p: PrometheusServer): Promise<ActiveAlert[]> {
  return (await p.api<{ alerts: ActiveAlert[] }>('alerts')).alerts;
}

/** An active alert with Prometheus' own times: when it turned pending (ms since the epoch), and its rule's `for` in seconds. */
export interface TimedAlert extends ActiveAlert {
  readonly activeAt: number;
  readonly forSeconds: number;
}

/**
 * The active alerts read from the alerting rules, each with its rule's `for`: an alert fires at
 * the evaluation `for` after it turned pending, which Prometheus' clock tells exactly whatever
 * the delay before a poll sees it.
 */
export async function timedAlerts(p: PrometheusServer): Promise<TimedAlert[]> {
  type Rule = { duration: number; alerts: (ActiveAlert & { activeAt: string })[] };
  const { groups } = await p.api<{ groups: { rules: Rule[] }[] }>('rules', { type: 'alert' });
  return groups.flatMap((g) => g.rules.flatMap((r) => r.alerts.map((a) => ({ ...a, activeAt: Date.parse(a.activeAt), forSeconds: r.duration }))));
}

export async function queryRange(p: PrometheusServer, query: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
  return (await p.api<{ result: RangeSeries[] }>('query_range', { query, start, end, step })).result;
}

export async function rules(p: PrometheusServer): Promise<RuleGroupsAnswer> {
  return p.api<RuleGroupsAnswer>('rules');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined); fails with `what` and the last state after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, describe?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `:\n${await describe()}` : ''}`);
    await sleep(250);
  }
}
