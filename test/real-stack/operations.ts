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
}

/**
 * A careful rolling restart: each worker in turn is stopped cleanly (it leaves the group, its
 * tasks move at once) and started again, and the next one stops only once it is back in the
 * group with its tasks running and every connector and task of the cluster runs.
 */
export async function rollingRestart(stack: RealStack, opts: { readonly timeoutMs?: number } = {}): Promise<RestartStep[]> {
  const steps: RestartStep[] = [];
  for (const w of stack.workers) {
    const stoppedAt = Date.now();
    await w.stop();
    await stack.startWorker(w, opts.timeoutMs);
    await stack.waitAllRunning(opts.timeoutMs ?? 5 * 60_000);
    steps.push({ worker: w.index, stoppedAt, rejoinedAt: Date.now() });
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
