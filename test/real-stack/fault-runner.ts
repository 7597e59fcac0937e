import type { ExpectStatic } from 'vitest';
import { NOTIFY_TIMING } from '../../src/builders/alerts/alertmanager.js';
import { durationSeconds } from '../../src/conventions/duration.js';
import { FLOW_LABEL } from '../../src/conventions/labels.js';
import { burnRateAlertName, SLO_SERIES, signalAlertName } from '../../src/conventions/names.js';
import { signal } from '../../src/model/model.js';
import type { Severity, SignalId } from '../../src/model/signals.js';
import {
  type AlertWatch,
  answersFor,
  deliveries,
  describeAlert,
  describeScope,
  type ExpectedAlert,
  type FaultReport,
  formatReports,
  inScope,
  overlaps,
  routedReceiver,
  type Scope,
  within,
} from './faults.js';
import type { RealStack } from './stack.js';
import type { WebhookSink } from './webhook.js';

/**
 * Plays faults on the real stack and judges each on the alerts of what it touched. Faults whose
 * scopes do not overlap (two flows, two connectors) run at the same time; the others wait their
 * turn in the order they asked, so a suite can start a batch of faults together (vitest's
 * `it.concurrent`) and every flow works through its own faults in file order. Cluster-wide
 * faults (a worker, every worker, the workers' Kafka cluster) overlap everything: they run alone.
 */

const MINUTE = 60_000;
/** Between an alert firing in Prometheus and its notification at the webhook, besides group_wait: the rule's send and the HTTP call. */
const NOTIFY_SLACK_SECONDS = 15;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export interface FaultCase {
  readonly fault: string;
  /** What the fault touches; its alerts, and the cluster-wide ones, are what it is judged on. */
  readonly scope: Scope;
  /** The alerts that must fire and notify: a signal's tier, or `page` for the SLO's paging burn-rate tier. */
  readonly expected: readonly (readonly [SignalId, Severity] | 'page')[];
  /** The expected alerts must fire for every flow, each notified on its own (a cluster-wide fault that stops every flow). */
  readonly eachFlow?: boolean;
  /**
   * Seconds a real fault takes to reach the signal's threshold before `for` starts, on top of
   * a scrape and an evaluation: the part of detection the model cannot shorten.
   */
  readonly reachSeconds: number;
  readonly why: string;
  /** True when no critical alert may fire (the fault degrades, it does not stop the flow). */
  readonly noPage?: boolean;
  /**
   * Seconds the fault stays in place at least before the repair: the time a fault that must
   * fire nothing (no `expected`, `noPage`) is watched.
   */
  readonly holdSeconds?: number;
  /**
   * The expected alerts must also fire within the promise, and clear after the repair, on the
   * runner's second Prometheus (the one reading the workers through the Strimzi Metrics Reporter).
   */
  readonly reporterToo?: boolean;
  /** True when no alert at all may fire, warnings included (an operation done carefully). */
  readonly firesNothing?: boolean;
}

/** Grants scopes in the order they were asked, each once no scope it overlaps is held or asked before it. */
export class ScopeLocks {
  private readonly held: Scope[] = [];
  private readonly waiting: { scope: Scope; grant: () => void }[] = [];

  acquire(scope: Scope): Promise<() => void> {
    return new Promise((resolve) => {
      const release = () => {
        this.held.splice(this.held.indexOf(scope), 1);
        this.pump();
      };
      this.waiting.push({ scope, grant: () => resolve(release) });
      this.pump();
    });
  }

  private pump(): void {
    const before: Scope[] = [];
    for (const w of [...this.waiting]) {
      const blocked = [...this.held, ...before].some((s) => overlaps(s, w.scope));
      before.push(w.scope);
      if (blocked) continue;
      this.waiting.splice(this.waiting.indexOf(w), 1);
      before.pop();
      this.held.push(w.scope);
      w.grant();
    }
  }
}

export class FaultRunner {
  readonly reports: FaultReport[] = [];
  private readonly locks = new ScopeLocks();
  private readonly resolvedChecks: { report: FaultReport; since: number; expected: readonly ExpectedAlert[] }[] = [];

  constructor(
    private readonly stack: RealStack,
    private readonly watch: AlertWatch,
    private readonly amConfigFile: string,
    /** The alerts of the Prometheus that reads the same workers through the Strimzi Metrics Reporter. */
    private readonly reporterWatch?: AlertWatch,
  ) {}

  private watchesOf(c: FaultCase): AlertWatch[] {
    if (!c.reporterToo) return [this.watch];
    if (!this.reporterWatch) throw new Error(`${c.fault}: reporterToo, but the runner has no reporter watch`);
    return [this.watch, this.reporterWatch];
  }

  private promiseSeconds(e: FaultCase['expected'][number], reachSeconds: number): number {
    const model = this.stack.model;
    const pageTier = model.sla.burnRateTiers.find((t) => t.pages)!;
    let forSeconds: number;
    if (e === 'page') forSeconds = durationSeconds(pageTier.for);
    else {
      const tier = signal(model, e[0]).tiers[e[1]];
      if (!tier) throw new Error(`${e[0]} has no ${e[1]} tier`);
      forSeconds = durationSeconds(tier.for);
    }
    return forSeconds + reachSeconds + durationSeconds(model.prometheus.scrapeInterval) + durationSeconds(model.prometheus.evaluationInterval);
  }

  private expectedAlerts(c: FaultCase): { alert: ExpectedAlert; promised: number }[] {
    const pageTier = this.stack.model.sla.burnRateTiers.find((t) => t.pages)!;
    return c.expected.flatMap((e) => {
      const name = e === 'page' ? burnRateAlertName(pageTier.name) : signalAlertName(e[0], e[1]);
      const promised = this.promiseSeconds(e, c.reachSeconds);
      if (!c.eachFlow) return [{ alert: { key: name, name, matches: (l: Readonly<Record<string, string>>) => inScope(l, c.scope) }, promised }];
      return this.stack.model.flows.map((f) => ({
        alert: { key: `${name} (${f.id})`, name, matches: (l: Readonly<Record<string, string>>) => l[FLOW_LABEL] === f.id },
        promised,
      }));
    });
  }

  /**
   * Runs one fault: waits until its scope is free and quiet, injects it, waits for the expected
   * alerts to fire within the model's promise and for their notifications, repairs, and waits
   * until every alert of its scope (and every cluster-wide one) that fired has cleared. The
   * resolved notifications are awaited later, all at once (`expectResolvedDelivered`): they
   * leave Alertmanager at its group_interval, and nothing needs to wait for them meanwhile.
   */
  async play(expect: ExpectStatic, c: FaultCase, inject: () => Promise<void>, repair: () => Promise<void>): Promise<FaultReport> {
    const asked = Date.now();
    const release = await this.locks.acquire(c.scope);
    try {
      return await this.playHeld(expect, c, inject, repair, asked);
    } finally {
      release();
    }
  }

  private async playHeld(expect: ExpectStatic, c: FaultCase, inject: () => Promise<void>, repair: () => Promise<void>, asked: number): Promise<FaultReport> {
    const mine = answersFor(c.scope);
    // Start from a quiet scope: no alert of a previous fault still firing there.
    const watches = this.watchesOf(c);
    // A fault that expects the page waits for the previous page to end, so that its page is a new one.
    const pageTier = this.stack.model.sla.burnRateTiers.find((t) => t.pages)!;
    const sloAlerts = c.expected.includes('page') ? [burnRateAlertName(pageTier.name)] : [];
    await within(10 * MINUTE, () => watches.every((w) => w.problemsNow(mine, { sloAlerts }).length === 0));
    // The SLI confirms an outage's end a few evaluations after its cause alerts clear: a fault
    // starts once the SLI counts its flows available, so their downtime is its own.
    await within(5 * MINUTE, async () => !(await this.counted(c.scope)));
    const expected = this.expectedAlerts(c);
    const since = Date.now();
    await inject();
    const firstFiringOn = (w: AlertWatch, e: ExpectedAlert) => w.firedSince(since, (l) => l['alertname'] === e.name && e.matches(l))[0];
    const firstFiring = (e: ExpectedAlert) => firstFiringOn(this.watch, e);
    const deadline = Math.max(0, ...expected.map((e) => e.promised)) * 1000 + MINUTE;
    if (expected.length > 0) await within(deadline, () => watches.every((w) => expected.every((e) => firstFiringOn(w, e.alert) !== undefined)));
    const detect: Record<string, number> = {};
    const promised: Record<string, number> = {};
    for (const e of expected) {
      promised[e.alert.key] = e.promised;
      const fired = firstFiring(e.alert);
      if (fired) detect[e.alert.key] = Math.round((fired.firingAt! - since) / 1000);
    }
    const detectWithReporter: Record<string, number> = {};
    if (c.reporterToo)
      for (const e of expected) {
        const fired = firstFiringOn(this.reporterWatch!, e.alert);
        if (fired) detectWithReporter[e.alert.key] = Math.round((fired.firingAt! - since) / 1000);
      }
    const alerts = expected.map((e) => e.alert);
    const sink = this.stack.webhook!;
    // group_wait (30 s) then delivery.
    await within(2 * MINUTE, () => Object.keys(deliveries(sink, since, alerts)).length === alerts.length);
    const delivered = deliveries(sink, since, alerts);
    await sleep(since + (c.holdSeconds ?? 0) * 1000 - Date.now());
    const expectedEpisodes = new Set(alerts.map(firstFiring));
    const alsoFired = [
      ...new Set(
        this.watch
          .firedSince(since, mine)
          .filter((e) => !expectedEpisodes.has(e))
          .map((e) => `${describeAlert(e.labels)} (${e.labels['severity']})`),
      ),
    ].sort();
    const report: FaultReport = {
      fault: c.fault,
      scope: describeScope(c.scope),
      expected: alerts.map((a) => a.key),
      detectSeconds: detect,
      promisedSeconds: promised,
      delivered,
      alsoFired,
      resolved: {},
      waitedSeconds: Math.round((since - asked) / 1000),
    };
    this.reports.push(report);
    const reporterReport: FaultReport | undefined = c.reporterToo
      ? {
          ...report,
          fault: `${c.fault} (Prometheus reading the Strimzi Metrics Reporter)`,
          detectSeconds: detectWithReporter,
          delivered: {},
          alsoFired: [],
          resolved: {},
        }
      : undefined;
    if (reporterReport) this.reports.push(reporterReport);

    const repairedAt = Date.now();
    await repair();
    await this.stack.waitAllRunning(5 * MINUTE, c.scope);
    const cleared = await within(15 * MINUTE, () => this.watch.problemsNow(mine).length === 0);
    report.clearSeconds = Math.round((Date.now() - repairedAt) / 1000);
    const clearedWithReporter = !this.reporterWatch || !c.reporterToo || (await within(5 * MINUTE, () => this.reporterWatch!.problemsNow(mine).length === 0));
    if (reporterReport) reporterReport.clearSeconds = Math.round((Date.now() - repairedAt) / 1000);
    report.repairSeconds = Math.round((repairedAt - since) / 1000);
    report.lastToClear = lastToClear(this.watch, mine, repairedAt);
    console.log(formatReports([report]).split('\n').slice(2).join('\n'));
    this.resolvedChecks.push({ report, since, expected: alerts });

    for (const e of alerts) {
      const n = e.key;
      expect(
        detect[n],
        `${n} fired after: ${c.fault} (${report.scope})\nfired since: ${this.watch
          .firedSince(since)
          .map((x) => describeAlert(x.labels))
          .join(', ')}`,
      ).toBeDefined();
      expect(detect[n]!, `${n} fired within the promised ${promised[n]} s (${c.why})`).toBeLessThanOrEqual(promised[n]!);
      const labels = firstFiring(e)!.labels;
      expect(
        delivered[n]?.receiver,
        `${n}'s notification reached the receiver Alertmanager's routing picks; its notifications from 15 minutes before the fault on: ${notificationsOf(sink, e.name, since)}`,
      ).toBe(routedReceiver(this.amConfigFile, labels));
      // A page leaves Alertmanager within its route's group_wait of firing, even when the same
      // alert of the same group resolved minutes before (group_interval must not hold it back).
      if (labels['severity'] === 'critical') {
        const bound = durationSeconds(NOTIFY_TIMING.critical.group_wait) + NOTIFY_SLACK_SECONDS;
        expect(
          delivered[n]!.seconds - detect[n]!,
          `${n} was notified ${delivered[n]!.seconds - detect[n]!} s after it fired, within the critical route's group_wait plus ${NOTIFY_SLACK_SECONDS} s (Prometheus' send and the webhook)`,
        ).toBeLessThanOrEqual(bound);
      }
    }
    if (c.noPage)
      expect(
        alsoFired.filter((a) => a.endsWith('(critical)')),
        `nothing pages on: ${c.fault}`,
      ).toEqual([]);
    if (c.firesNothing) expect(alsoFired, `nothing fires on: ${c.fault}`).toEqual([]);
    expect(
      cleared,
      `every alert of ${report.scope} and every cluster-wide alert but the burn-rate ones cleared after the repair; still firing: ${this.watch.problemsNow(mine).join(', ')}`,
    ).toBe(true);
    for (const e of c.reporterToo ? alerts : []) {
      expect(detectWithReporter[e.key], `${e.key} fired through the reporter after: ${c.fault}`).toBeDefined();
      expect(detectWithReporter[e.key]!, `${e.key} fired through the reporter within the promised ${promised[e.key]} s`).toBeLessThanOrEqual(promised[e.key]!);
    }
    expect(
      clearedWithReporter,
      `through the reporter too, every alert of ${report.scope} cleared after the repair; still firing: ${this.reporterWatch?.problemsNow(mine).join(', ')}`,
    ).toBe(true);
    return report;
  }

  /** Whether the SLI counts any flow of `scope` unavailable now. */
  private async counted(scope: Scope): Promise<boolean> {
    const flow = scope.flow === undefined ? '' : `{${FLOW_LABEL}="${scope.flow}"}`;
    const r = await this.stack.prometheus!.api<{ result: unknown[] }>('query', { query: `${SLO_SERIES.unavailable}${flow} == 1` });
    return r.result.length > 0;
  }

  /** Waits (at most `timeoutMs` in all) for the resolved notification of every alert every fault expected; lists those missing. */
  async missingResolved(timeoutMs: number): Promise<string[]> {
    const sink = this.stack.webhook!;
    const missing = () =>
      this.resolvedChecks.flatMap(({ report, since, expected }) => {
        const got = deliveries(sink, since, expected, 'resolved');
        for (const [k, d] of Object.entries(got)) report.resolved[k] = d.seconds;
        return expected.filter((e) => !got[e.key]).map((e) => `${report.fault}: ${e.key}`);
      });
    await within(timeoutMs, () => missing().length === 0);
    return missing();
  }
}

/** The alerts of `filter` that were still firing after the repair, the last to clear first: what the clear waited for. */
function lastToClear(watch: AlertWatch, filter: (labels: Readonly<Record<string, string>>) => boolean, repairedAt: number): string[] {
  return watch
    .activeSince(repairedAt, filter)
    .filter((e) => e.firingAt !== undefined && e.endedAt !== undefined)
    .sort((a, b) => b.endedAt! - a.endedAt!)
    .slice(0, 3)
    .map((e) => `${describeAlert(e.labels)} ${Math.round((e.endedAt! - repairedAt) / 1000)} s`);
}

/** Every notification of an alert name from 15 minutes before `since` on, with its status, receiver and time relative to `since`. */
function notificationsOf(sink: WebhookSink, name: string, since: number): string {
  const seen = [...sink.delivered(since - 15 * MINUTE, 'firing'), ...sink.delivered(since - 15 * MINUTE, 'resolved').map((d) => ({ ...d, resolved: true }))]
    .filter((d) => d.alertname === name)
    .sort((a, b) => a.at - b.at)
    .map((d) => `${Math.round((d.at - since) / 1000)} s ${'resolved' in d ? 'resolved' : 'firing'} ${d.receiver} ${describeAlert(d.labels)}`);
  return seen.join('; ') || 'none';
}
