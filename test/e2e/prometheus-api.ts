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
