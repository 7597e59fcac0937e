import { spawnSync } from 'node:child_process';
import type { PrometheusServer } from '../../bench/lib/prometheus.js';
import { SLO_SIGNAL_LABEL, WATCHDOG_ALERT } from '../../src/conventions/names.js';
import { type ActiveAlert, activeAlerts } from '../e2e/prometheus-api.js';
import type { WebhookSink } from './webhook.js';

/**
 * Timing of alerts on the real stack: when an alert is first pending and firing after a
 * fault, when its notification reaches a receiver, when it clears after the repair.
 */

export interface AlertTimes {
  pending?: number;
  firing?: number;
  /** Gone from Prometheus' active alerts after having fired. */
  cleared?: number;
}

export interface FaultReport {
  readonly fault: string;
  readonly expected: readonly string[];
  /** Seconds from the fault to each expected alert firing. */
  readonly detectSeconds: Readonly<Record<string, number>>;
  /** The bound the model promises for each expected alert, in seconds. */
  readonly promisedSeconds: Readonly<Record<string, number>>;
  /** Receiver each expected alert's firing notification was delivered to, and after how many seconds. */
  readonly delivered: Readonly<Record<string, { receiver: string; seconds: number }>>;
  /** Every other alert that fired during the fault, with its severity. */
  readonly alsoFired: readonly string[];
  /** Seconds from the repair until every alert of the fault had cleared. */
  clearSeconds?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Watches Prometheus' alerts every 2 s from `since` on, by alert name. */
export class AlertWatch {
  readonly times = new Map<string, AlertTimes>();
  readonly severities = new Map<string, string>();
  readonly labels = new Map<string, Readonly<Record<string, string>>>();
  private active: ActiveAlert[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly prometheus: PrometheusServer) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.active = await activeAlerts(this.prometheus);
        const now = Date.now();
        const seen = new Set<string>();
        for (const a of this.active) {
          const name = a.labels['alertname']!;
          if (name === WATCHDOG_ALERT) continue;
          seen.add(name);
          const t = this.times.get(name) ?? {};
          if (a.state === 'pending') t.pending ??= now;
          if (a.state === 'firing') {
            t.firing ??= now;
            t.cleared = undefined;
          }
          this.times.set(name, t);
          this.severities.set(name, a.labels['severity'] ?? '');
          this.labels.set(name, a.labels);
        }
        for (const [name, t] of this.times) if (!seen.has(name) && t.firing !== undefined && t.cleared === undefined) t.cleared = now;
      } catch {
        // Prometheus busy: next round
      }
      await sleep(2000);
    }
  }

  /** Alerts active now (pending or firing), but the Watchdog, which always fires. */
  current(): readonly ActiveAlert[] {
    return this.active.filter((a) => a.labels['alertname'] !== WATCHDOG_ALERT);
  }

  /**
   * Firing alerts that say something is wrong now: the burn-rate tickets say budget was spent,
   * which stays true long after a repair, so they do not count.
   */
  problemsNow(): string[] {
    return [
      ...new Set(
        this.current()
          .filter((a) => a.state === 'firing' && !(a.labels['signal'] === SLO_SIGNAL_LABEL && a.labels['severity'] !== 'critical'))
          .map((a) => a.labels['alertname']!),
      ),
    ].sort();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
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
export function routedReceiver(alertmanagerConfig: string, labels: Readonly<Record<string, string>>): string {
  const r = spawnSync('amtool', ['config', 'routes', 'test', `--config.file=${alertmanagerConfig}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`amtool config routes test failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Records when each expected alert's firing notification reached a receiver. */
export function deliveries(sink: WebhookSink, since: number, names: readonly string[]): Record<string, { receiver: string; seconds: number }> {
  const out: Record<string, { receiver: string; seconds: number }> = {};
  for (const d of sink.delivered(since, 'firing')) {
    if (d.alertname === WATCHDOG_ALERT) continue;
    if (names.includes(d.alertname) && !out[d.alertname]) out[d.alertname] = { receiver: d.receiver, seconds: Math.round((d.at - since) / 1000) };
  }
  return out;
}

export function formatReports(reports: readonly FaultReport[]): string {
  const lines = [
    '| fault | alert | fired after | promised | notified (receiver) | cleared after repair | also fired |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports) {
    for (const a of r.expected) {
      const d = r.delivered[a];
      lines.push(
        `| ${r.fault} | ${a} | ${r.detectSeconds[a] ?? 'never'} s | ${r.promisedSeconds[a]} s | ${d ? `${d.seconds} s (${d.receiver})` : 'no'} | ${r.clearSeconds ?? '-'} s | ${r.alsoFired.join(', ') || '-'} |`,
      );
    }
  }
  return lines.join('\n');
}
