import { parse } from 'yaml';
import { durationSeconds } from '../../../src/conventions/duration.js';
import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE, FLOW_LABEL } from '../../../src/conventions/labels.js';
import { burnRateAlertName, SLO_SERIES, signalAlertName } from '../../../src/conventions/names.js';
import type { Model } from '../../../src/model/model.js';
import { signal } from '../../../src/model/model.js';
import { REBALANCE_WINDOW } from '../../../src/model/signals.js';
import { remoteTopicName } from '../../../src/model/topology.js';
import { type ExpectedAlert, FAULT_AT_S, type Fault, type Sample, type Scenario, type SeriesSpec, STEP_S, type Topology } from './promtool-tests.js';
import { alertOf, MIN, movedSeries, workerStops } from './scenarios.js';
import { type SliOutage, sliFrom, sloAlert, sloCountedSeconds, sloFiresAt, sloFiringAt, sloFiringTimes } from './slo-expect.js';

/**
 * Situations a team meets that the per-alert fault scenarios do not play: a worker
 * whose exporter cannot be scraped, connectors that start fewer tasks than tasks.max, an outage
 * that deepens, short outages and the SLO, recovery.
 */

const after = (t: number) => t >= FAULT_AT_S;
const during = (t: number, fromS: number, forS: number) => t >= FAULT_AT_S + fromS && t < FAULT_AT_S + fromS + forS;
const everyMinute = (untilS: number, firing: ExpectedAlert[] = []) =>
  Array.from({ length: Math.floor(untilS / MIN) }, (_, i) => ({ at: (i + 1) * MIN, firing, exact: true }));

export interface Situation extends Scenario {
  /** Bounds the SLA asks of the model's own timings: each must hold. */
  readonly bounds?: readonly { readonly what: string; readonly value: number; readonly atMost?: number; readonly atLeast?: number }[];
}

/** `{a="1", b="2"}` with labels in order, as promtool prints a series' labels. */
function seriesLabels(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}

/** No critical alert fired at any evaluation of the scenario, up to `at`. */
function noPage(at: number) {
  return { at, expr: `count_over_time(ALERTS{alertstate="firing", severity="critical"}[${at}s])`, samples: [] };
}

/** The first evaluation (seconds) from which no burn-rate page of the model fires any more, up to `untilS`. */
function pagesQuietAfter(model: Model, outage: SliOutage, untilS: number): number {
  const last = Math.max(0, ...model.sla.burnRateAlerts.filter((a) => a.pages).flatMap((a) => sloFiringTimes(model, outage, a.name, untilS)));
  // Prometheus 2's ranges hold one evaluation more than the replay's (Prometheus 3): a page may resolve one evaluation later.
  return last + 2 * STEP_S;
}

export function situations(model: Model, topo: Topology): Situation[] {
  const flow = topo.flow;
  const src = flow.connectors.source;
  const cp = flow.connectors.checkpoint;
  const hb = flow.connectors.heartbeat;
  const group = model.groupLabels;
  const flowSel = `{cluster=${JSON.stringify(group.cluster)}, ${FLOW_LABEL}=${JSON.stringify(flow.id)}, job=${JSON.stringify(group.job)}}`;
  const budgetS = model.sla.errorBudgetSecondsPerPeriod;
  const alert = (id: string, severity: 'warning' | 'critical', labels: Record<string, string>): ExpectedAlert => ({
    alertname: signalAlertName(id, severity),
    labels: { ...group, severity, signal: id, ...labels },
  });
  const status = (key: 'taskStatus' | 'connectorStatus', labels: Record<string, string>, state: string, on: (t: number) => boolean): SeriesSpec => {
    const running = topo.series.find((s) => s.key === key && s.labels.status === 'running' && Object.entries(labels).every(([k, v]) => s.labels[k] === v))!;
    return { key, worker: running.worker, labels: { ...running.labels, status: state }, healthy: (t) => (on(t) ? 1 : undefined) };
  };
  const isStatus = (s: SeriesSpec, key: string, labels: Record<string, string>) =>
    s.key === key && s.labels.status === 'running' && Object.entries(labels).every(([k, v]) => s.labels[k] === v);

  // Item 1: the exporter of the worker that runs the source connector times out; the JVM and its tasks run on.
  const w = topo.connectorWorker(src);
  const unscrapedS = 10 * MIN;
  const unscraped: Fault = (s, t, h) => (after(t) && s.worker === w ? (s.key === 'up' ? 0 : undefined) : h);
  const unreachable = alert('workerExporterUnreachable', 'warning', { instance: topo.instances[w]! });

  // Item 7: 4 partitions, so Kafka starts 4 source tasks of tasks.max 6; no consumer group, so no checkpoint task.
  const usedTasks = new Set(topo.partitions.map((p) => p.task));
  const fewerTasks: Fault = (s, _t, h) => {
    const task = s.labels.task ?? /-(\d+)$/.exec(s.labels.client_id ?? '')?.[1];
    if (s.labels.connector === cp.name && s.key !== 'connectorStatus') return undefined;
    if (s.labels.client_id?.includes(cp.name)) return undefined;
    if (s.key === 'checkpointLatencyMsMax') return undefined;
    if ((s.labels.connector === src.name || s.labels.client_id?.includes(src.name)) && task !== undefined && !usedTasks.has(Number(task))) return undefined;
    return h;
  };

  // Item 6: the target stops acking: writes stop, in-flight records pile up, then polling stops too (the buffer is full).
  const frozenAt = (s: SeriesSpec, at: number) => s.healthy(at);
  const deepening: Fault = (s, t, h) => {
    if (!after(t)) return h;
    const pollStopsAt = FAULT_AT_S + 3 * MIN;
    if (s.key === 'sourceRecordWriteTotal' && s.labels.connector === src.name) return frozenAt(s, FAULT_AT_S - STEP_S);
    if (s.key === 'sourceRecordPollTotal' && t >= pollStopsAt) return frozenAt(s, pollStopsAt - STEP_S);
    if (s.key === 'sourceRecordActiveCount') return 20_000;
    if (s.key === 'consumerRecordsLag') return 5 + 20 * Math.floor((t - FAULT_AT_S) / STEP_S);
    return h;
  };

  // Items 3 and 4: outages of given length.
  const sourceConnectorDown = (forS: number): { fault: Fault; extra: SeriesSpec[] } => ({
    fault: (s, t, h) => (isStatus(s, 'connectorStatus', { connector: src.name }) && during(t, 0, forS) ? undefined : h),
    extra: [status('connectorStatus', { connector: src.name }, 'failed', (t) => during(t, 0, forS))],
  });
  const outage90 = sourceConnectorDown(90);
  const blip = sourceConnectorDown(STEP_S);
  const sloEnd = FAULT_AT_S + 10 * MIN;
  const sloSamples = (name: string, value: number) => [{ labels: `${name}${flowSel}`, value }];

  // Item 2: a 2-minute stall, then recovery.
  const stallS = 2 * MIN;
  const stall: Fault = (s, t, h) => {
    if (!during(t, 0, stallS)) return h;
    switch (s.key) {
      case 'mirrorRecordRate':
        return 0;
      case 'consumerRecordsLag':
        return 5 + 20 * Math.floor((t - FAULT_AT_S) / STEP_S);
      case 'replicationLatencyMsAvg':
      case 'replicationLatencyMsMax':
      case 'recordAgeMsAvg':
      case 'recordAgeMsMax':
        return 'NaN';
      default:
        return h;
    }
  };

  return [
    {
      name: 'the exporter of the worker running the source connector cannot be scraped (JVM alive): only the exporter alert, naming the worker',
      durationS: FAULT_AT_S + unscrapedS,
      fault: unscraped,
      checks: [
        ...everyMinute(FAULT_AT_S + 2 * MIN - STEP_S).map((c) => ({ ...c, firing: [] })),
        { at: FAULT_AT_S + 3 * MIN, firing: [unreachable], exact: true },
        { at: FAULT_AT_S + unscrapedS, firing: [unreachable], exact: true },
      ],
      exprChecks: [{ at: FAULT_AT_S + unscrapedS, expr: `max_over_time(${SLO_SERIES.unavailable}[${unscrapedS / MIN + 1}m])`, samples: sloSamples('', 0) }],
    },
    {
      name: 'the worker running the source connector is SIGKILLed; its work moves after the rebalance delay (90 s): only the exporter alert, no page, no downtime',
      durationS: FAULT_AT_S + 10 * MIN,
      fault: workerStops(w),
      extraSeries: movedSeries(topo, w, 90),
      checks: [
        ...everyMinute(FAULT_AT_S + 2 * MIN - STEP_S).map((c) => ({ ...c, firing: [] })),
        { at: FAULT_AT_S + 3 * MIN, firing: [unreachable], exact: true },
        { at: FAULT_AT_S + 10 * MIN, firing: [unreachable], exact: true },
      ],
      exprChecks: [{ at: FAULT_AT_S + 10 * MIN, expr: `max_over_time(${SLO_SERIES.unavailable}[11m])`, samples: sloSamples('', 0) }],
    },
    {
      name: 'Kafka starts 4 source tasks of tasks.max 6 (4 partitions) and no checkpoint task (no group): nothing fires',
      durationS: FAULT_AT_S + 10 * MIN,
      fault: fewerTasks,
      checks: everyMinute(FAULT_AT_S + 10 * MIN),
    },
    {
      name: 'with fewer tasks than tasks.max, a task that disappears still counts as not running',
      durationS: FAULT_AT_S + 4 * MIN,
      fault: (s, t, h) => {
        const v = fewerTasks(s, t, h);
        return after(t) && isStatus(s, 'taskStatus', { connector: src.name, task: '3' }) ? undefined : v;
      },
      // A source task missing pages, and counts against the SLO.
      checks: [
        {
          at: FAULT_AT_S + 4 * MIN,
          firing: [
            alert('tasksNotRunning', 'critical', { [FLOW_LABEL]: flow.id, connector: src.name }),
            ...sloFiringAt(model, sliFrom(FAULT_AT_S), FAULT_AT_S + 4 * MIN),
          ],
          exact: true,
        },
      ],
    },
    {
      name: 'writes stop, then polling stops too: the replication-ratio alert keeps firing',
      durationS: FAULT_AT_S + 10 * MIN,
      fault: deepening,
      checks: [2, 4, 6, 8, 10].map((m) => ({
        at: FAULT_AT_S + m * MIN,
        firing: [alert('replicationRatio', 'critical', { [FLOW_LABEL]: flow.id })],
        exact: false,
      })),
    },
    {
      name: 'the heartbeat connector is unassigned for 10 minutes: its own warning, no page, no replication downtime',
      durationS: sloEnd,
      fault: (s, t, h) => {
        if (!after(t)) return h;
        if (s.key === 'connectorStatus') return isStatus(s, 'connectorStatus', { connector: hb.name }) ? undefined : h;
        return s.labels.connector === hb.name || s.labels.client_id?.includes(hb.name) ? undefined : h;
      },
      extraSeries: [status('connectorStatus', { connector: hb.name }, 'unassigned', after)],
      checks: [{ at: sloEnd, firing: [alert('connectorsNotRunning', 'warning', { [FLOW_LABEL]: flow.id, connector: hb.name })], exact: false }],
      exprChecks: [{ at: sloEnd, expr: `max_over_time(${SLO_SERIES.unavailable}[11m])`, samples: sloSamples('', 0) }, noPage(sloEnd)],
    },
    {
      name: 'the checkpoint task fails for 10 minutes: its own warning, no page, no replication downtime',
      durationS: sloEnd,
      fault: (s, t, h) => (after(t) && isStatus(s, 'taskStatus', { connector: cp.name, task: '0' }) ? undefined : h),
      extraSeries: [status('taskStatus', { connector: cp.name, task: '0' }, 'failed', after)],
      checks: [{ at: sloEnd, firing: [alert('failedTasks', 'warning', { [FLOW_LABEL]: flow.id, connector: cp.name, task: '0' })], exact: false }],
      exprChecks: [{ at: sloEnd, expr: `max_over_time(${SLO_SERIES.unavailable}[11m])`, samples: sloSamples('', 0) }, noPage(sloEnd)],
    },
    {
      name: "a 90 s source connector outage (shorter than its alert's for) is counted whole in the SLO",
      durationS: sloEnd,
      fault: outage90.fault,
      extraSeries: outage90.extra,
      checks: [],
      exprChecks: [{ at: sloEnd, expr: `sum_over_time(${SLO_SERIES.unavailable}[20m]) * ${STEP_S}`, samples: sloSamples('', 90) }],
    },
    {
      name: 'a one-evaluation status blip is debounced: no downtime',
      durationS: sloEnd,
      fault: blip.fault,
      extraSeries: blip.extra,
      checks: [],
      exprChecks: [{ at: sloEnd, expr: `max_over_time(${SLO_SERIES.unavailable}[20m])`, samples: sloSamples('', 0) }],
    },
    {
      name: "with only 20 minutes of data, a 90 s outage leaves 1 - 90 s / the period's budget",
      durationS: sloEnd,
      fault: outage90.fault,
      extraSeries: outage90.extra,
      checks: [],
      exprChecks: [{ at: sloEnd, expr: SLO_SERIES.errorBudgetRemaining, samples: sloSamples(SLO_SERIES.errorBudgetRemaining, 1 - 90 / budgetS) }],
    },
    {
      name: "a 2-minute stall pages while it lasts; no page is firing once the flow has been available for the pages' keep-firing windows",
      durationS: FAULT_AT_S + 40 * MIN,
      fault: stall,
      checks: [{ at: FAULT_AT_S + stallS - STEP_S, firing: [alert('replicationStalled', 'critical', { [FLOW_LABEL]: flow.id })], exact: false }],
      exprChecks: [
        // No critical alert (a page) from the end of the pages' keep-firing windows on, at any evaluation up to the end.
        {
          at: FAULT_AT_S + 40 * MIN,
          expr: `count_over_time(ALERTS{alertstate="firing", severity="critical"}[${FAULT_AT_S + 40 * MIN - pagesQuietAfter(model, sliFrom(FAULT_AT_S, FAULT_AT_S + stallS), FAULT_AT_S + 40 * MIN)}s])`,
          samples: [],
        },
      ],
    },
  ];
}

/** The group_wait of the route a page of the model's first flow takes in the generated Alertmanager configuration. */
export function pageGroupWaitSeconds(model: Model, alertmanagerYaml: string): number {
  interface Route {
    matchers?: string[];
    group_wait?: string;
    routes?: Route[];
  }
  const labels: Record<string, string> = {
    ...model.groupLabels,
    [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE,
    [FLOW_LABEL]: model.flows[0]!.id,
    severity: 'critical',
    alertname: burnRateAlertName('fast'),
  };
  const matches = (m: string) => {
    const [, label, op, quoted] = /^(\w+)(=~|!~|!=|=)(".*")$/.exec(m)!;
    const value = JSON.parse(quoted!) as string;
    const actual = labels[label!] ?? '';
    if (op === '=') return actual === value;
    if (op === '!=') return actual !== value;
    const re = new RegExp(`^(?:${value})$`);
    return op === '=~' ? re.test(actual) : !re.test(actual);
  };
  let route = (parse(alertmanagerYaml) as { route: Route }).route;
  let wait = durationSeconds(route.group_wait ?? '30s');
  for (;;) {
    const next = (route.routes ?? []).find((r) => (r.matchers ?? []).every(matches));
    if (!next) return wait;
    if (next.group_wait) wait = durationSeconds(next.group_wait);
    route = next;
  }
}

/**
 * Outages that come and go, hide, or touch only part of a flow, and ordinary operations that
 * must fire nothing: each asserts what the model says should happen (burn-rate alerts from its
 * replay, signal alerts from their tiers), and the bounds the SLA asks of it.
 */
export function outageSituations(model: Model, topo: Topology, groupWaitS: number): Situation[] {
  const flow = topo.flow;
  const src = flow.connectors.source;
  const hb = flow.connectors.heartbeat;
  const group = model.groupLabels;
  const flowSel = `{cluster=${JSON.stringify(group.cluster)}, ${FLOW_LABEL}=${JSON.stringify(flow.id)}, job=${JSON.stringify(group.job)}}`;
  const onFlow = (id: Parameters<typeof signal>[1], severity: 'warning' | 'critical', labels: Record<string, string> = {}): ExpectedAlert => ({
    alertname: signalAlertName(id, severity),
    labels: { ...group, severity, signal: id, ...(signal(model, id).def.scope === 'flow' ? { [FLOW_LABEL]: flow.id } : {}), ...labels },
  });
  const forOf = (id: Parameters<typeof signal>[1], severity: 'warning' | 'critical') => durationSeconds(signal(model, id).tiers[severity]!.for);
  const isRunning = (s: SeriesSpec, key: string, labels: Record<string, string>) =>
    s.key === key && s.labels.status === 'running' && Object.entries(labels).every(([k, v]) => s.labels[k] === v);
  const inState = (key: 'taskStatus' | 'connectorStatus', labels: Record<string, string>, state: string, on: (t: number) => boolean): SeriesSpec => {
    const running = topo.series.find((s) => isRunning(s, key, labels))!;
    return { key, worker: running.worker, labels: { ...running.labels, status: state }, healthy: (t) => (on(t) ? 1 : undefined) };
  };
  const frozenAt = (s: SeriesSpec, t: number) => s.healthy(t);
  const heartbeatsRemote = topo.partitions.find((p) => p.topic === 'heartbeats')!.remote;
  const unavailableSeconds = (at: number, window: number) => ({
    at,
    expr: `sum_over_time(${SLO_SERIES.unavailable}${flowSel}[${window}s]) * ${STEP_S}`,
    samples: [{ labels: flowSel, value: 0 }],
  });
  // The unavailable seconds the model counts in the window that ends at `at` (the window holds one evaluation more than window / step at most).
  const counted = (outage: SliOutage, at: number, window: number) => ({
    at,
    expr: `sum_over_time(${SLO_SERIES.unavailable}${flowSel}[${window}s]) * ${STEP_S}`,
    samples: [{ labels: flowSel, value: sloCountedSeconds(model, outage, at - window, at) }],
  });
  const quiet = (untilS: number) => everyMinute(untilS).map((c) => ({ ...c, firing: [] }));
  const expectSlo = (outage: SliOutage, at: number, also: ExpectedAlert[] = []) => ({ at, firing: [...also, ...sloFiringAt(model, outage, at)], exact: true });

  // An outage that comes and goes: every worker's exporter down a minute, up a minute, for two hours.
  const flapS = MIN;
  const flapForS = 2 * 3600;
  const down = (t: number) => t >= FAULT_AT_S && t < FAULT_AT_S + flapForS && Math.floor((t - FAULT_AT_S) / flapS) % 2 === 0;
  const flapping: Fault = (s, t, h) => (down(t) ? (s.key === 'up' ? 0 : undefined) : h);
  const flapEnd = FAULT_AT_S + flapForS;
  const fastAt = sloFiresAt(model, down, 'fast', flapEnd)!;
  const page = sloAlert(model, 'fast');
  const fastTimes = sloFiringTimes(model, down, 'fast', flapEnd + 10 * MIN);
  const fastStretch = fastTimes.findIndex((t, i) => i > 0 && t !== fastTimes[i - 1]! + STEP_S);
  const stretchS = (fastStretch < 0 ? fastTimes.length : fastStretch) * STEP_S;

  // A source task vanishes while its worker stays up, for half an hour, then comes back.
  const goneS = 30 * MIN;
  const vanished = sliFrom(FAULT_AT_S, FAULT_AT_S + goneS);
  const taskGone: Fault = (s, t, h) => (isRunning(s, 'taskStatus', { connector: src.name, task: '1' }) && vanished(t) ? undefined : h);
  const taskPage = onFlow('tasksNotRunning', 'critical', { connector: src.name });

  // A topic with one record every two minutes, each a minute late: Kafka's windowed stats have a value for 45 s after each.
  const sparseTopic = remoteTopicName(flow, 'sparse.events');
  const lateMs = MIN * 1000;
  const sparseValue = (t: number): Sample => (t >= FAULT_AT_S && (t - FAULT_AT_S) % (2 * MIN) < 45 ? lateMs : 'NaN');
  const sparseSeries: SeriesSpec[] = (['replicationLatencyMsMax', 'replicationLatencyMsAvg', 'recordAgeMsMax', 'recordAgeMsAvg'] as const).map((key) => ({
    key,
    worker: topo.taskWorker(src, 0),
    labels: { target: flow.target, topic: sparseTopic, partition: '0' },
    healthy: (t) => (t < FAULT_AT_S ? 'NaN' : sparseValue(t)),
  }));
  const sparseAlerts = (severity: 'warning' | 'critical') =>
    (['replicationLatencyMax', 'recordAgeMax'] as const)
      .filter((id) => lateMs >= signal(model, id).tiers[severity]!.threshold)
      .map((id) => onFlow(id, severity, { topic: sparseTopic }));

  // Every target gone from service discovery: no series at all, `up` included.
  const goneForS = 20 * MIN;
  const targetsGone = sliFrom(FAULT_AT_S, FAULT_AT_S + goneForS);
  const vanish: Fault = (_s, t, h) => (targetsGone(t) ? undefined : h);

  // A 45 s failure of a source task: shorter than every page's downtime.
  const blipS = model.sla.pageDowntimeSeconds - STEP_S;
  const blip = sliFrom(FAULT_AT_S, FAULT_AT_S + blipS);
  const blipFault: Fault = (s, t, h) => (isRunning(s, 'taskStatus', { connector: src.name, task: '2' }) && blip(t) ? undefined : h);

  // A rolling restart: each worker in turn, 3 minutes apart, its JVM started anew (counters from zero), gone for `downS`
  // (no series, `up` 0), then serving metrics before it reports its connectors (until `connectorsGoneS` after the stop)
  // and its tasks (until `tasksGoneS`); every worker sees `rebalances` rebalances per restart.
  const restartAt = (w: number) => FAULT_AT_S + w * 3 * MIN;
  const rollingRestart =
    (shape: { shutdownS: number; downS: number; connectorsGoneS: number; tasksGoneS: number; rebalances: number }): Fault =>
    (s, t, h) => {
      let v = h;
      topo.instances.forEach((_, w) => {
        const stopAt = restartAt(w);
        if (t < stopAt) return;
        if (s.key === 'rebalancesTotal') v = (v as number) + shape.rebalances;
        if (s.worker !== w) return;
        // A clean shutdown: the worker stops its connectors and tasks, its exporter still answers.
        if (t < stopAt + shape.shutdownS) {
          if (s.key === 'connectorStatus' || s.key === 'taskStatus') v = undefined;
          return;
        }
        const at = stopAt + shape.shutdownS;
        if (t < at + shape.downS) v = s.key === 'up' ? 0 : undefined;
        else if (s.key === 'processStartTimeSeconds') v = at + shape.downS;
        else if (s.key === 'connectorStatus' && t < at + shape.connectorsGoneS) v = undefined;
        else if (s.key === 'taskStatus' && t < at + shape.tasksGoneS) v = undefined;
        else if (typeof v === 'number' && /Total$/.test(s.key) && s.key !== 'rebalancesTotal') v = v - (s.healthy(at) as number);
      });
      return v;
    };
  // Careful: each worker shuts down within a scrape, stops 20 s, serves metrics again, and reports its work 30 s later (Connect's start and the rebalance).
  const rolling = rollingRestart({ shutdownS: STEP_S, downS: 20, connectorsGoneS: 50, tasksGoneS: 50, rebalances: 2 });
  const rollingEnd = restartAt(topo.instances.length - 1) + 5 * MIN;
  // As measured on the real workers: each worker's exporter answering for up to two scrapes (on a loaded machine) once it
  // has stopped its connectors and tasks, its JVM back within one scrape interval (`up` never drops), its connectors
  // reported `unassigned` for 15 s, its tasks missing for 80 s while Connect holds them for scheduled.rebalance.max.delay.ms.
  const quickShape = { shutdownS: 2 * STEP_S, downS: 0, connectorsGoneS: 15, tasksGoneS: 80, rebalances: 3 };
  const quickRolling = rollingRestart(quickShape);
  const unassignedOnRestart = topo.series
    .filter((s) => s.key === 'connectorStatus')
    .map((s) => {
      const at = restartAt(s.worker) + quickShape.shutdownS;
      return { ...s, labels: { ...s.labels, status: 'unassigned' }, healthy: (t: number) => (t >= at && t < at + quickShape.connectorsGoneS ? 1 : undefined) };
    });

  // A connector update: the source connector's tasks stop and start again within one evaluation, two rebalances.
  const update: Fault = (s, t, h) => {
    if (t < FAULT_AT_S) return h;
    if (s.key === 'rebalancesTotal') return (h as number) + 2;
    return s.labels.connector === src.name && s.key === 'taskStatus' && t < FAULT_AT_S + STEP_S ? undefined : h;
  };

  // A rebalance storm (one every 30 s) for half an hour, then calm.
  const stormS = 30 * MIN;
  const storm: Fault = (s, t, h) =>
    s.key === 'rebalancesTotal' && t >= FAULT_AT_S ? (h as number) + Math.floor((Math.min(t, FAULT_AT_S + stormS) - FAULT_AT_S) / 30) : h;
  const window = durationSeconds(REBALANCE_WINDOW);

  const emitterPaused: Fault = (s, t, h) => {
    if (t < FAULT_AT_S) return h;
    if (s.key === 'mirrorRecordCount' && s.labels.topic === heartbeatsRemote) return frozenAt(s, FAULT_AT_S - STEP_S);
    return s.labels.connector === topo.emitter.name && s.labels.status === 'running' ? undefined : h;
  };
  const heartbeatPaused: Fault = (s, t, h) => {
    if (t < FAULT_AT_S) return h;
    if (s.key === 'sourceRecordWriteTotal' && s.labels.connector === hb.name) return frozenAt(s, FAULT_AT_S - STEP_S);
    return s.labels.connector === hb.name && s.labels.status === 'running' ? undefined : h;
  };
  const heartbeatDeleted: Fault = (s, t, h) => (t >= FAULT_AT_S && (s.labels.connector === hb.name || s.labels.client_id?.includes(hb.name)) ? undefined : h);
  const tenMin = FAULT_AT_S + 10 * MIN;
  const heartbeatWarnings = [
    onFlow('connectorsNotRunning', 'warning', { connector: hb.name }),
    onFlow('tasksNotRunning', 'warning', { connector: hb.name }),
    onFlow('heartbeatsEmitted', 'warning'),
  ];
  const producerErrors =
    (n: number): Fault =>
    (s, t, h) =>
      t >= FAULT_AT_S && s.labels.client_id === `connector-producer-${src.name}-1` ? (h as number) + n : h;
  const producerThresholds = signal(model, 'producerErrors').tiers;

  return [
    {
      name: `an outage that comes and goes (every worker down ${flapS / MIN} min, up ${flapS / MIN} min, for 2 h) pages within 20 min, and the page stays firing until it stops`,
      durationS: flapEnd + 8 * MIN,
      fault: flapping,
      checks: [
        expectSlo(down, fastAt - STEP_S),
        expectSlo(down, fastAt),
        ...[10, 30, 60, 90, 119].map((m) => expectSlo(down, FAULT_AT_S + m * MIN)),
        expectSlo(down, flapEnd + 8 * MIN),
      ],
      exprChecks: [
        // The page fires at every evaluation from its first to the end of the outage: one page, notified once.
        {
          at: flapEnd,
          // Half an evaluation more than the span, so that both ends count under Prometheus 2 and 3 alike.
          expr: `count_over_time(ALERTS{alertname="${page.alertname}", alertstate="firing"}[${(flapEnd - fastAt) * 1000 + (STEP_S * 1000) / 2}ms])`,
          samples: [
            {
              labels: seriesLabels({ ...page.labels, [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE, alertname: page.alertname, alertstate: 'firing' }),
              value: (flapEnd - fastAt) / STEP_S + 1,
            },
          ],
        },
      ],
      bounds: [
        { what: 'the page fires within 20 min of the first bad evaluation', value: fastAt - FAULT_AT_S, atMost: 20 * MIN },
        { what: "the page stays firing longer than its route's group_wait, so it is notified", value: stretchS, atLeast: groupWaitS + STEP_S },
      ],
    },
    {
      name: 'a source task that vanishes while its worker stays up pages within 10 min, stays firing and counts against the SLO until it is back',
      durationS: FAULT_AT_S + goneS + 10 * MIN,
      fault: taskGone,
      checks: [
        expectSlo(vanished, FAULT_AT_S + forOf('tasksNotRunning', 'critical') - STEP_S),
        expectSlo(vanished, FAULT_AT_S + forOf('tasksNotRunning', 'critical'), [taskPage]),
        ...[10, 20, 29].map((m) => expectSlo(vanished, FAULT_AT_S + m * MIN, [taskPage])),
        expectSlo(vanished, FAULT_AT_S + goneS + 10 * MIN),
      ],
      exprChecks: [counted(vanished, FAULT_AT_S + goneS + 10 * MIN, goneS + 10 * MIN)],
      bounds: [{ what: 'the missing source task pages within 10 min', value: forOf('tasksNotRunning', 'critical'), atMost: 10 * MIN }],
    },
    {
      name: 'a topic with one record every 2 min, each a minute late, fires its latency and age criticals within 15 min',
      durationS: FAULT_AT_S + 15 * MIN,
      fault: (_s, _t, h) => h,
      extraSeries: sparseSeries,
      checks: [
        { at: FAULT_AT_S + forOf('replicationLatencyMax', 'critical') - STEP_S, firing: [], exact: true },
        { at: FAULT_AT_S + forOf('replicationLatencyMax', 'critical'), firing: sparseAlerts('critical'), exact: true },
        { at: FAULT_AT_S + 15 * MIN, firing: [...sparseAlerts('critical'), ...sparseAlerts('warning')], exact: true },
      ],
      bounds: [{ what: 'the late sparse topic fires its critical within 15 min', value: forOf('replicationLatencyMax', 'critical'), atMost: 15 * MIN }],
    },
    {
      name: 'every scrape target gone from service discovery: the flow counts as unavailable the whole time, never as available',
      durationS: FAULT_AT_S + goneForS + MIN,
      fault: vanish,
      checks: [{ at: FAULT_AT_S + goneForS - STEP_S, firing: [alertOf(model, 'workersUp', 'critical')], exact: false }],
      exprChecks: [counted(targetsGone, FAULT_AT_S + goneForS, goneForS + 2 * STEP_S)],
    },
    {
      name: `a source task failed for ${blipS} s: no page, one ticket, its ${blipS} s counted`,
      durationS: FAULT_AT_S + 40 * MIN,
      fault: blipFault,
      extraSeries: [inState('taskStatus', { connector: src.name, task: '2' }, 'failed', blip)],
      checks: [1, 5, 10, 20, 40].map((m) => expectSlo(blip, FAULT_AT_S + m * MIN)),
      exprChecks: [noPage(FAULT_AT_S + 40 * MIN), counted(blip, FAULT_AT_S + 40 * MIN, 40 * MIN)],
      bounds: [
        {
          what: 'at most one ticket',
          value: model.sla.burnRateAlerts.filter((a) => !a.pages && sloFiringTimes(model, blip, a.name, FAULT_AT_S + 40 * MIN).length > 0).length,
          atMost: 1,
        },
      ],
    },
    {
      name: "the source cluster's heartbeat emitter paused for 20 min: its own warning, no page, no downtime",
      durationS: FAULT_AT_S + 20 * MIN,
      fault: emitterPaused,
      extraSeries: [
        inState('connectorStatus', { connector: topo.emitter.name }, 'paused', (t) => t >= FAULT_AT_S),
        inState('taskStatus', { connector: topo.emitter.name, task: '0' }, 'paused', (t) => t >= FAULT_AT_S),
      ],
      checks: [5, 10, 20].map((m) => ({ at: FAULT_AT_S + m * MIN, firing: [onFlow('heartbeatEmitterNotRunning', 'warning')], exact: true })),
      exprChecks: [noPage(FAULT_AT_S + 20 * MIN), unavailableSeconds(FAULT_AT_S + 20 * MIN, 20 * MIN)],
    },
    {
      name: "the flow's heartbeat connector paused for 20 min: warnings only, no page, no downtime",
      durationS: FAULT_AT_S + 20 * MIN,
      fault: heartbeatPaused,
      extraSeries: [
        inState('connectorStatus', { connector: hb.name }, 'paused', (t) => t >= FAULT_AT_S),
        inState('taskStatus', { connector: hb.name, task: '0' }, 'paused', (t) => t >= FAULT_AT_S),
      ],
      checks: [10, 20].map((m) => ({ at: FAULT_AT_S + m * MIN, firing: heartbeatWarnings, exact: true })),
      exprChecks: [noPage(FAULT_AT_S + 20 * MIN), unavailableSeconds(FAULT_AT_S + 20 * MIN, 20 * MIN)],
    },
    {
      name: "the flow's heartbeat connector deleted: warnings only, the heartbeats-emitted one on its vanished counter, no page, no downtime",
      durationS: tenMin,
      fault: heartbeatDeleted,
      checks: [{ at: tenMin, firing: heartbeatWarnings, exact: true }],
      exprChecks: [noPage(tenMin), unavailableSeconds(tenMin, 10 * MIN)],
    },
    {
      name: `exactly ${producerThresholds.critical!.threshold - 1} producer errors warn and page nobody`,
      durationS: FAULT_AT_S + 5 * MIN,
      fault: producerErrors(producerThresholds.critical!.threshold - 1),
      checks: [{ at: FAULT_AT_S + forOf('producerErrors', 'warning'), firing: [onFlow('producerErrors', 'warning')], exact: true }],
      exprChecks: [noPage(FAULT_AT_S + 5 * MIN)],
    },
    {
      name: `${producerThresholds.critical!.threshold} producer errors page`,
      durationS: FAULT_AT_S + 5 * MIN,
      fault: producerErrors(producerThresholds.critical!.threshold),
      checks: [
        {
          at: FAULT_AT_S + forOf('producerErrors', 'critical'),
          firing: [onFlow('producerErrors', 'warning'), onFlow('producerErrors', 'critical')],
          exact: true,
        },
      ],
    },
    {
      name: 'a careful rolling restart (each worker back and its work reported before the next stops) fires nothing and costs no budget',
      durationS: rollingEnd,
      fault: rolling,
      checks: quiet(rollingEnd),
      exprChecks: [unavailableSeconds(rollingEnd, rollingEnd - FAULT_AT_S + MIN)],
    },
    {
      name: `a rolling restart quicker than a scrape interval (each worker's last ${quickShape.shutdownS / STEP_S} scrapes without its connectors and tasks, \`up\` never drops; connectors unassigned ${quickShape.connectorsGoneS} s, tasks missing ${quickShape.tasksGoneS} s) fires nothing and costs no budget`,
      durationS: rollingEnd,
      fault: quickRolling,
      extraSeries: unassignedOnRestart,
      checks: quiet(rollingEnd),
      exprChecks: [unavailableSeconds(rollingEnd, rollingEnd - FAULT_AT_S + MIN)],
    },
    {
      name: 'a connector update (its tasks restarted, two rebalances) fires nothing and costs no budget',
      durationS: FAULT_AT_S + 20 * MIN,
      fault: update,
      checks: quiet(FAULT_AT_S + 20 * MIN),
      exprChecks: [unavailableSeconds(FAULT_AT_S + 20 * MIN, 20 * MIN)],
    },
    {
      name: `the rebalance warning describes the present: it clears within ${REBALANCE_WINDOW} of a storm's end`,
      durationS: FAULT_AT_S + stormS + window + MIN,
      fault: storm,
      checks: [
        { at: FAULT_AT_S + stormS, firing: [alertOf(model, 'rebalanceRate', 'warning')], exact: true },
        { at: FAULT_AT_S + stormS + window + MIN, firing: [], exact: true },
      ],
    },
  ];
}
