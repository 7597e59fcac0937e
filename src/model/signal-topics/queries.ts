import { type Duration, durationSeconds } from '../../conventions/duration.js';
import type { Matcher } from '../../promql/matcher.js';
import { eq, metricSelector, recorded } from '../../promql/selector.js';
import type { FlowSignalDef, QueryContext } from '../signal-def.js';
import { type Connector, connectorLabel, type Flow, remoteTopicMatchers } from '../topology.js';

// The PromQL pieces the signals of several topics share.

/** Matchers on the group labels: one bundle's rules never read another Connect cluster's series. */
export const inGroup = (ctx: QueryContext): Record<string, Matcher> => Object.fromEntries(Object.entries(ctx.group).map(([l, value]) => [l, eq(value)]));
export const mirror = (flow: Flow, ctx: QueryContext) => ({ ...inGroup(ctx), target: eq(flow.target), topic: remoteTopicMatchers(flow) });
export const sourceTask = (flow: Flow, ctx: QueryContext) => ({ ...inGroup(ctx), connector: eq(connectorLabel(flow.connectors.source)) });
// Windowed stats are NaN when a partition saw no record in the window; `>= 0` drops those
// instead of letting one idle partition turn the aggregate into NaN.
export const notNaN = (selector: string) => `${selector} >= 0`;

/**
 * A worker counts as reachable once its exporter has answered every scrape of the startup grace
 * and its JVM is older than the grace: a restarted worker serves metrics before it has rejoined
 * its group and got its connectors and tasks back, and their state is not known until then. A
 * restart quicker than a scrape interval never shows in `up`; the JVM's start time shows it (a
 * worker whose exporter does not serve it is judged by `up` alone).
 */
function reachable(ctx: QueryContext): string {
  const restarted = `${metricSelector('processStartTimeSeconds', inGroup(ctx))} > time() - ${durationSeconds(ctx.startupGrace)}`;
  return `min_over_time(${metricSelector('up', inGroup(ctx))}[${ctx.startupGrace}]) == 1 unless on (instance) ${restarted}`;
}

/**
 * Connector and task states come from the one worker that runs each of them. When Prometheus
 * cannot scrape that worker (a scrape timeout, a restarting exporter, the worker itself gone),
 * or the worker has only just come back, the state is unknown, not "stopped": a state last
 * reported (within `window`) by a worker that is not reachable counts as still true, unless a
 * reachable worker now reports the same connector or task. A just-restarted worker's own
 * reports (`unassigned` while Connect hands its work back, up to scheduled.rebalance.max.delay.ms)
 * change nothing until its grace has passed. A dead worker's work moves to the others after
 * scheduled.rebalance.max.delay.ms and is reported there; a scrape failure changes nothing.
 */
export function unknownOnUnreachable(
  ctx: QueryContext,
  key: 'connectorStatus' | 'taskStatus',
  matchers: Record<string, Matcher>,
  window: Duration,
  ids: string,
): string {
  const now = metricSelector(key, { ...inGroup(ctx), ...matchers });
  return `((last_over_time(${now}[${window}]) unless on (instance) (${reachable(ctx)})) unless on (${ids}) ${reportedByReachable(ctx, key, matchers)})`;
}

/** The series a reachable worker reports now (unknownOnUnreachable). */
export function reportedByReachable(ctx: QueryContext, key: 'connectorStatus' | 'taskStatus', matchers: Record<string, Matcher>): string {
  return `(${metricSelector(key, { ...inGroup(ctx), ...matchers })} and on (instance) (${reachable(ctx)}))`;
}

/** The connector runs, as reported now, or as last reported by a worker that is not reachable (unknown). */
export function connectorRunning(connector: Pick<Connector, 'name'>, ctx: QueryContext): string {
  const conn = { connector: eq(connectorLabel(connector)) };
  const running = metricSelector('connectorStatus', { ...inGroup(ctx), ...conn, status: eq('running') });
  const unknownRunning = unknownOnUnreachable(ctx, 'connectorStatus', { ...conn, status: eq('running') }, ctx.statusHold, 'connector');
  // The unknown part drops the running series of a connector a reachable worker reports in another state.
  return `(${running} or (${unknownRunning} unless on (connector) ${reportedByReachable(ctx, 'connectorStatus', conn)}))`;
}

/** A flow signal's recorded series; signals that build on another one read it (rules of a group run in order). */
export function recordedOf(def: FlowSignalDef, flow: Flow, ctx: QueryContext): string {
  return recorded(def.record, { ...inGroup(ctx), flow: eq(flow.id) });
}
