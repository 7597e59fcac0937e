import { FLOW_LABEL } from '../../src/conventions/labels.js';
import { SLO_SERIES, signalAlertName } from '../../src/conventions/names.js';
import type { Model } from '../../src/model/model.js';
import { type ExpectedAlert, FAULT_AT_S, type Fault, type Scenario, type SeriesSpec, STEP_S, type Topology } from './promtool-tests.js';
import { MIN, movedSeries, workerStops } from './scenarios.js';

/**
 * Situations a team meets that the per-alert fault scenarios do not play (issue 10): a worker
 * whose exporter cannot be scraped, connectors that start fewer tasks than tasks.max, an outage
 * that deepens, short outages and the SLO, recovery. Each is keyed by the item it proves.
 */

const after = (t: number) => t >= FAULT_AT_S;
const during = (t: number, fromS: number, forS: number) => t >= FAULT_AT_S + fromS && t < FAULT_AT_S + fromS + forS;
const everyMinute = (untilS: number, firing: ExpectedAlert[] = []) =>
  Array.from({ length: Math.floor(untilS / MIN) }, (_, i) => ({ at: (i + 1) * MIN, firing, exact: true }));

export interface Situation extends Scenario {
  readonly item: string;
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
      item: '1',
      name: 'item 1: the exporter of the worker running the source connector cannot be scraped (JVM alive): only the exporter alert, naming the worker',
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
      item: '1',
      name: 'item 1: the worker running the source connector is SIGKILLed; its work moves after the rebalance delay (90 s): only the exporter alert, no page, no downtime',
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
      item: '7',
      name: 'item 7: Kafka starts 4 source tasks of tasks.max 6 (4 partitions) and no checkpoint task (no group): nothing fires',
      durationS: FAULT_AT_S + 10 * MIN,
      fault: fewerTasks,
      checks: everyMinute(FAULT_AT_S + 10 * MIN),
    },
    {
      item: '7',
      name: 'item 7: with fewer tasks than tasks.max, a task that disappears still counts as not running',
      durationS: FAULT_AT_S + 4 * MIN,
      fault: (s, t, h) => {
        const v = fewerTasks(s, t, h);
        return after(t) && isStatus(s, 'taskStatus', { connector: src.name, task: '3' }) ? undefined : v;
      },
      checks: [{ at: FAULT_AT_S + 4 * MIN, firing: [alert('tasksNotRunning', 'warning', { [FLOW_LABEL]: flow.id, connector: src.name })], exact: true }],
    },
    {
      item: '6',
      name: 'item 6: writes stop, then polling stops too: the replication-ratio alert keeps firing',
      durationS: FAULT_AT_S + 10 * MIN,
      fault: deepening,
      checks: [2, 4, 6, 8, 10].map((m) => ({
        at: FAULT_AT_S + m * MIN,
        firing: [alert('replicationRatio', 'critical', { [FLOW_LABEL]: flow.id })],
        exact: false,
      })),
    },
    {
      item: '3',
      name: 'item 3: the heartbeat connector is unassigned for 10 minutes: its own alert, no replication downtime',
      durationS: sloEnd,
      fault: (s, t, h) => {
        if (!after(t)) return h;
        if (s.key === 'connectorStatus') return isStatus(s, 'connectorStatus', { connector: hb.name }) ? undefined : h;
        return s.labels.connector === hb.name || s.labels.client_id?.includes(hb.name) ? undefined : h;
      },
      extraSeries: [status('connectorStatus', { connector: hb.name }, 'unassigned', after)],
      checks: [{ at: sloEnd, firing: [alert('connectorsNotRunning', 'critical', { [FLOW_LABEL]: flow.id, connector: hb.name })], exact: false }],
      exprChecks: [{ at: sloEnd, expr: `max_over_time(${SLO_SERIES.unavailable}[11m])`, samples: sloSamples('', 0) }],
    },
    {
      item: '3',
      name: 'item 3: the checkpoint task fails for 10 minutes: its own alert, no replication downtime',
      durationS: sloEnd,
      fault: (s, t, h) => (after(t) && isStatus(s, 'taskStatus', { connector: cp.name, task: '0' }) ? undefined : h),
      extraSeries: [status('taskStatus', { connector: cp.name, task: '0' }, 'failed', after)],
      checks: [{ at: sloEnd, firing: [alert('failedTasks', 'critical', { [FLOW_LABEL]: flow.id, connector: cp.name, task: '0' })], exact: false }],
      exprChecks: [{ at: sloEnd, expr: `max_over_time(${SLO_SERIES.unavailable}[11m])`, samples: sloSamples('', 0) }],
    },
    {
      item: '4',
      name: "item 4: a 90 s source connector outage (shorter than its alert's for) is counted whole in the SLO",
      durationS: sloEnd,
      fault: outage90.fault,
      extraSeries: outage90.extra,
      checks: [],
      exprChecks: [{ at: sloEnd, expr: `sum_over_time(${SLO_SERIES.unavailable}[20m]) * ${STEP_S}`, samples: sloSamples('', 90) }],
    },
    {
      item: '4',
      name: 'item 4: a one-evaluation status blip is debounced: no downtime',
      durationS: sloEnd,
      fault: blip.fault,
      extraSeries: blip.extra,
      checks: [],
      exprChecks: [{ at: sloEnd, expr: `max_over_time(${SLO_SERIES.unavailable}[20m])`, samples: sloSamples('', 0) }],
    },
    {
      item: '5',
      name: "item 5: with only 20 minutes of data, a 90 s outage leaves 1 - 90 s / the period's budget",
      durationS: sloEnd,
      fault: outage90.fault,
      extraSeries: outage90.extra,
      checks: [],
      exprChecks: [{ at: sloEnd, expr: SLO_SERIES.errorBudgetRemaining, samples: sloSamples(SLO_SERIES.errorBudgetRemaining, 1 - 90 / budgetS) }],
    },
    {
      item: '2',
      name: 'item 2: a 2-minute stall pages while it lasts and no page is firing once the flow has recovered',
      durationS: FAULT_AT_S + 40 * MIN,
      fault: stall,
      checks: [{ at: FAULT_AT_S + stallS - STEP_S, firing: [alert('replicationStalled', 'critical', { [FLOW_LABEL]: flow.id })], exact: false }],
      exprChecks: [
        // No critical alert (a page) after recovery, at any evaluation of the 38 minutes that follow.
        { at: FAULT_AT_S + 40 * MIN, expr: `count_over_time(ALERTS{alertstate="firing", severity="critical"}[${40 - stallS / MIN - 1}m])`, samples: [] },
      ],
    },
  ];
}
