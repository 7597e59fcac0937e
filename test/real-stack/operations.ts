import type { ConnectWorker } from './connect-worker.js';
import type { RealStack } from './stack.js';

/**
 * What operators do to Connect workers, played on the real stack with the times each step
 * happened, for the assertions on what fires (or must not) around them.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RestartStep {
  readonly worker: number;
  /** When the worker was asked to stop (ms since the epoch). */
  readonly stoppedAt: number;
  /** When it was back in the group with its tasks running. */
  readonly rejoinedAt: number;
  /** When replication had caught up after it (the next worker stops then). */
  readonly settledAt: number;
}

/**
 * A careful rolling restart: each worker in turn is stopped cleanly (it leaves the group; Connect
 * holds its tasks for it up to scheduled.rebalance.max.delay.ms) and started again, and the next
 * one stops only once it is back in the group with its tasks running, every connector and task
 * of the cluster runs, and `settled` has held for `settledForMs` without a break. The span
 * matters: the records that waited for the restarted worker's tasks show as latency only a
 * scrape and a rule evaluation after the tasks resume, so a check made at once passes before
 * the lateness it should wait out is even visible, and the next worker would leave while
 * Connect is still handing work back.
 */
export async function rollingRestart(
  stack: RealStack,
  opts: { readonly timeoutMs?: number; readonly settled?: () => Promise<boolean>; readonly settledForMs?: number } = {},
): Promise<RestartStep[]> {
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const settledForMs = opts.settledForMs ?? 0;
  const steps: RestartStep[] = [];
  for (const w of stack.workers) {
    const stoppedAt = Date.now();
    await w.stop();
    await stack.startWorker(w, timeoutMs);
    await stack.waitAllRunning(timeoutMs);
    const rejoinedAt = Date.now();
    if (opts.settled) {
      const deadline = Date.now() + timeoutMs;
      let since: number | undefined;
      for (;;) {
        const now = Date.now();
        since = (await opts.settled()) ? (since ?? now) : undefined;
        if (since !== undefined && now - since >= settledForMs) break;
        if (now > deadline) throw new Error(`worker ${w.index + 1}: replication not settled ${timeoutMs / 1000} s after its restart`);
        await sleep(5_000);
      }
    }
    steps.push({ worker: w.index, stoppedAt, rejoinedAt, settledAt: Date.now() });
  }
  return steps;
}

export interface FlapCycle {
  /** When the worker went down (ms since the epoch). */
  readonly downAt: number;
  /** When it was started again. */
  readonly startedAt: number;
  /** When it was back in the group with its tasks running. */
  readonly rejoinedAt: number;
}

/**
 * A worker that goes down and comes back `times` times: down (`kill`: a crash, the group
 * notices after session.timeout.ms; `stop`: a clean leave) for `downMs`, then started and, once
 * back in the group with its tasks running, left up `upMs` before the next cycle.
 */
export async function flapWorker(
  stack: RealStack,
  w: ConnectWorker,
  opts: { readonly times: number; readonly downMs: number; readonly upMs: number; readonly how: 'kill' | 'stop'; readonly timeoutMs?: number },
): Promise<FlapCycle[]> {
  const cycles: FlapCycle[] = [];
  for (let i = 0; i < opts.times; i++) {
    const downAt = Date.now();
    await (opts.how === 'kill' ? w.kill() : w.stop());
    await sleep(Math.max(0, downAt + opts.downMs - Date.now()));
    const startedAt = Date.now();
    await stack.startWorker(w, opts.timeoutMs);
    const rejoinedAt = Date.now();
    cycles.push({ downAt, startedAt, rejoinedAt });
    if (i < opts.times - 1) await sleep(opts.upMs);
  }
  return cycles;
}
