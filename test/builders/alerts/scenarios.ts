import { durationSeconds } from '../../../src/conventions/duration.js';
import { FLOW_LABEL } from '../../../src/conventions/labels.js';
import { signalAlertName } from '../../../src/conventions/names.js';
import type { MetricKey } from '../../../src/metrics/names.js';
import { type Model, signal } from '../../../src/model/model.js';
import type { Severity, SignalId } from '../../../src/model/signals.js';
import { consumerTopicTag } from '../../../src/model/topology.js';
import { type ExpectedAlert, FAULT_AT_S, type Fault, type Sample, type Scenario, type SeriesSpec, STEP_S, type Topology } from './promtool-tests.js';
import { sliFrom, sloFiringAt } from './slo-expect.js';

/**
 * The scenarios the generated rules are replayed on: one per failure mode (its alert must fire,
 * criticals within two minutes of the fault) and noisy-but-healthy ones where nothing may fire.
 * Values are derived from the model's thresholds, so the scenarios follow a threshold change.
 */

export const MIN = 60;
const after = (t: number) => t >= FAULT_AT_S;
const is = (s: SeriesSpec, key: MetricKey, labels: Record<string, string> = {}) => s.key === key && Object.entries(labels).every(([k, v]) => s.labels[k] === v);
const stepsSinceFault = (t: number) => Math.floor((t - FAULT_AT_S) / STEP_S);
/** The value the series had just before the fault (a counter that stops counting). */
const frozen = (_t: number, _h: Sample, s: SeriesSpec) => s.healthy(FAULT_AT_S - STEP_S);

/** Applies `change` to the series `match` selects, from the fault on. */
function fault(match: (s: SeriesSpec) => boolean, change: (t: number, h: Sample, s: SeriesSpec) => Sample): Fault {
  return (s, t, h) => (after(t) && match(s) ? change(t, h, s) : h);
}

/** A state change: the exporter's `status="running"` series stops (the new state's series is statusSeries). */
function stopRunning(key: 'taskStatus' | 'connectorStatus', labels: Record<string, string>): Fault {
  return (s, t, h) => (is(s, key, { ...labels, status: 'running' }) && after(t) ? undefined : h);
}

export interface FaultScenario extends Scenario {
  /** The alert this scenario is about, and when it must be firing (seconds after the fault). */
  readonly target: ExpectedAlert & { severity: Severity; firesAfterS: number };
}

export function alertOf(model: Model, id: SignalId, severity: Severity, labels: Record<string, string> = {}): ExpectedAlert {
  const def = signal(model, id).def;
  const flow: Record<string, string> = def.scope === 'flow' ? { [FLOW_LABEL]: model.flows[0]!.id } : {};
  return { alertname: signalAlertName(id, severity), labels: { ...model.groupLabels, severity, signal: id, ...flow, ...labels } };
}

function tierFor(model: Model, id: SignalId, severity: Severity): number {
  const tier = signal(model, id).tiers[severity];
  if (!tier) throw new Error(`${id} has no ${severity} tier in the model`);
  return durationSeconds(tier.for);
}

/** A status series in a new state, on the worker that ran the running one. */
function statusSeries(topo: Topology, key: 'taskStatus' | 'connectorStatus', labels: Record<string, string>, state: string): SeriesSpec {
  const running = topo.series.find((s) => is(s, key, { ...labels, status: 'running' }));
  if (!running) throw new Error(`no ${key} ${JSON.stringify(labels)} in the topology`);
  return { key, worker: running.worker, labels: { ...running.labels, status: state }, healthy: (t) => (after(t) ? 1 : undefined) };
}

/**
 * Worker `w` stops at the fault: its exporter answers no more. With `backAfterS` it comes back
 * (a restart) with its counters starting again from zero; otherwise, `reassignAfterS` later, its
 * connectors and tasks run on the next worker, with fresh counters (see movedSeries).
 */
export function workerStops(w: number, backAfterS?: number): Fault {
  return (s, t, h) => {
    if (!after(t) || s.worker !== w) return h;
    if (backAfterS === undefined || t < FAULT_AT_S + backAfterS) return s.key === 'up' ? 0 : undefined;
    if (typeof h !== 'number' || !/Total$/.test(s.key)) return h;
    const restart = FAULT_AT_S + backAfterS;
    // Counters restart from zero; the worker takes part in two rebalances when it rejoins.
    return h - (s.healthy(restart) as number) + (s.key === 'rebalancesTotal' ? 2 : 0);
  };
}

export function movedSeries(topo: Topology, w: number, reassignAfterS: number): SeriesSpec[] {
  const to = (w + 1) % topo.instances.length;
  const start = FAULT_AT_S + reassignAfterS;
  return topo.series
    .filter((s) => s.worker === w && s.key !== 'up' && s.key !== 'rebalancesTotal')
    .map(
      (s): SeriesSpec => ({
        ...s,
        worker: to,
        healthy: (t) => {
          if (t < start) return undefined;
          const h = s.healthy(t);
          return typeof h === 'number' && /Total$/.test(s.key) ? h - (s.healthy(start) as number) : h;
        },
      }),
    );
}

export function faultScenarios(model: Model, topo: Topology): FaultScenario[] {
  const flow = topo.flow;
  const src = flow.connectors.source;
  const cp = flow.connectors.checkpoint;
  const hb = flow.connectors.heartbeat;
  const threshold = (id: SignalId, sev: Severity) => signal(model, id).tiers[sev]!.threshold;
  const orders = topo.partitions[0]!;
  const heartbeats = topo.partitions.find((p) => p.topic === 'heartbeats')!;
  const onePartition = { topic: orders.remote, partition: String(orders.partition) };
  const producerOf = (c: typeof src, task: number) => (s: SeriesSpec) => s.labels.client_id === `connector-producer-${c.name}-${task}`;

  const make = (
    name: string,
    id: SignalId,
    severity: Severity,
    f: Fault,
    opts: {
      labels?: Record<string, string>;
      firesAfterS?: number;
      exact?: boolean;
      extra?: SeriesSpec[];
      alsoFiring?: ExpectedAlert[];
      /** Seconds after the fault from which the SLI's raw condition holds: the burn-rate alerts the model then fires are expected too. */
      sliFromS?: number;
    } = {},
  ): FaultScenario => {
    const target = alertOf(model, id, severity, opts.labels);
    const firesAfterS = opts.firesAfterS ?? tierFor(model, id, severity);
    const slo = opts.sliFromS === undefined ? [] : sloFiringAt(model, sliFrom(FAULT_AT_S + opts.sliFromS), FAULT_AT_S + firesAfterS);
    return {
      name,
      durationS: FAULT_AT_S + firesAfterS + STEP_S,
      fault: f,
      extraSeries: opts.extra,
      target: { ...target, severity, firesAfterS },
      checks: [
        // Healthy until the fault: nothing fires (so the alert below is the fault's doing).
        { at: FAULT_AT_S - STEP_S, firing: [], exact: true },
        // `exact`: the fault's own alert and nothing else (warnings of slower tiers are still pending).
        { at: FAULT_AT_S + firesAfterS, firing: [target, ...(opts.alsoFiring ?? []), ...slo], exact: opts.exact ?? false },
      ],
    };
  };
  // The alert carries the state series' location: connector, and the task id for a task (what the restart API needs).
  // What stops the data (the source connector and its tasks) pages and is downtime: the burn-rate alerts follow.
  // The checkpoint and heartbeat connectors carry no records: their alerts warn, nothing else fires.
  const changeState = (name: string, id: SignalId, key: 'taskStatus' | 'connectorStatus', labels: Record<string, string>, state: string) => {
    const source = labels.connector === src.name;
    const severity: Severity = source ? 'critical' : 'warning';
    const firesAfterS = source ? Math.max(2 * MIN, tierFor(model, id, severity)) : tierFor(model, id, severity);
    // A failed or paused source task is also a source task not running, which pages on its own tier.
    const notRunning =
      source && key === 'taskStatus' && tierFor(model, 'tasksNotRunning', 'critical') <= firesAfterS
        ? [alertOf(model, 'tasksNotRunning', 'critical', { connector: src.name })]
        : [];
    return make(name, id, severity, stopRunning(key, labels), {
      labels,
      extra: [statusSeries(topo, key, labels, state)],
      exact: true,
      firesAfterS,
      alsoFiring: notRunning,
      ...(source ? { sliFromS: 0 } : {}),
    });
  };

  return [
    changeState('a source task fails', 'failedTasks', 'taskStatus', { connector: src.name, task: '2' }, 'failed'),
    changeState("the checkpoint connector's task fails: a warning", 'failedTasks', 'taskStatus', { connector: cp.name, task: '0' }, 'failed'),
    changeState('the source connector fails', 'connectorsNotRunning', 'connectorStatus', { connector: src.name }, 'failed'),
    changeState('the checkpoint connector is paused: a warning', 'connectorsNotRunning', 'connectorStatus', { connector: cp.name }, 'paused'),
    changeState('the heartbeat connector is unassigned: a warning', 'connectorsNotRunning', 'connectorStatus', { connector: hb.name }, 'unassigned'),
    make(
      'the heartbeat connector is deleted: a warning, nothing pages',
      'connectorsNotRunning',
      'warning',
      fault(
        (s) => s.labels.connector === hb.name || s.labels.client_id?.includes(hb.name) === true,
        () => undefined,
      ),
      { labels: { connector: hb.name }, exact: true },
    ),
    make(
      'the heartbeat task vanishes while its connector runs: a warning',
      'tasksNotRunning',
      'warning',
      fault(
        (s) => is(s, 'taskStatus', { connector: hb.name }),
        () => undefined,
      ),
      { labels: { connector: hb.name }, exact: true },
    ),
    make(
      'the heartbeat emitter of the source cluster is paused: its warning, no page, no downtime',
      'heartbeatEmitterNotRunning',
      'warning',
      (s, t, h) => {
        if (!after(t)) return h;
        // Its heartbeats stop: nothing new reaches <source>.heartbeats.
        if (s.key === 'mirrorRecordCount' && s.labels.topic === heartbeats.remote) return frozen(t, h, s);
        return s.labels.connector === topo.emitter.name && s.labels.status === 'running' ? undefined : h;
      },
      {
        exact: true,
        extra: [
          statusSeries(topo, 'connectorStatus', { connector: topo.emitter.name }, 'paused'),
          statusSeries(topo, 'taskStatus', { connector: topo.emitter.name, task: '0' }, 'paused'),
        ],
        // Without its heartbeats the end-to-end heartbeat alert would have paged by now.
        firesAfterS: Math.max(
          tierFor(model, 'heartbeatEmitterNotRunning', 'warning'),
          4 * durationSeconds(model.prometheus.scrapeInterval) + tierFor(model, 'heartbeatsReplicated', 'critical'),
        ),
      },
    ),
    make(
      'a source task is left unassigned',
      'tasksNotRunning',
      'critical',
      fault(
        (s) => is(s, 'taskStatus', { connector: src.name, task: '5' }),
        () => undefined,
      ),
      { labels: { connector: src.name }, exact: true, sliFromS: 0 },
    ),
    make(
      'every worker is unreachable',
      'workersUp',
      'critical',
      fault(
        () => true,
        (_t, _h, s) => (s.key === 'up' ? 0 : undefined),
      ),
    ),
    make(
      'the exporter targets vanish from service discovery',
      'workersUp',
      'critical',
      fault(
        () => true,
        () => undefined,
      ),
    ),
    make('one worker dies and its work moves to the others', 'workerExporterUnreachable', 'warning', workerStops(2), {
      labels: { instance: topo.instances[2]! },
      extra: movedSeries(topo, 2, 75),
      exact: true,
    }),
    make(
      'average replication latency is high',
      'replicationLatencyAvg',
      'critical',
      fault(
        (s) => s.key === 'replicationLatencyMsAvg',
        () => threshold('replicationLatencyAvg', 'critical') * 2,
      ),
      { exact: true },
    ),
    make(
      'average replication latency is in the warning band',
      'replicationLatencyAvg',
      'warning',
      fault(
        (s) => s.key === 'replicationLatencyMsAvg',
        () => threshold('replicationLatencyAvg', 'warning'),
      ),
    ),
    make(
      'one partition is stuck (worst-partition latency)',
      'replicationLatencyMax',
      'critical',
      fault(
        (s) => is(s, 'replicationLatencyMsMax', onePartition),
        () => threshold('replicationLatencyMax', 'critical'),
      ),
      { labels: { topic: orders.remote }, exact: true },
    ),
    make(
      'one partition is slow (worst-partition latency)',
      'replicationLatencyMax',
      'warning',
      fault(
        (s) => is(s, 'replicationLatencyMsMax', onePartition),
        () => threshold('replicationLatencyMax', 'warning'),
      ),
      { labels: { topic: orders.remote } },
    ),
    make(
      'records are old when read (average)',
      'recordAgeAvg',
      'critical',
      fault(
        (s) => s.key === 'recordAgeMsAvg',
        () => threshold('recordAgeAvg', 'critical'),
      ),
      { exact: true },
    ),
    make(
      'records are oldish when read (average)',
      'recordAgeAvg',
      'warning',
      fault(
        (s) => s.key === 'recordAgeMsAvg',
        () => threshold('recordAgeAvg', 'warning'),
      ),
    ),
    make(
      'one partition reads very old records',
      'recordAgeMax',
      'critical',
      fault(
        (s) => is(s, 'recordAgeMsMax', onePartition),
        () => threshold('recordAgeMax', 'critical'),
      ),
      { labels: { topic: orders.remote }, exact: true },
    ),
    make(
      'one partition reads old records',
      'recordAgeMax',
      'warning',
      fault(
        (s) => is(s, 'recordAgeMsMax', onePartition),
        () => threshold('recordAgeMax', 'warning'),
      ),
      { labels: { topic: orders.remote } },
    ),
    make(
      'the target acks nothing: in-flight records pile up',
      'activeRecords',
      'critical',
      fault(
        (s) => s.key === 'sourceRecordActiveCount',
        () => threshold('activeRecords', 'critical'),
      ),
      { exact: true },
    ),
    make(
      'in-flight records in the warning band',
      'activeRecords',
      'warning',
      fault(
        (s) => s.key === 'sourceRecordActiveCount',
        () => threshold('activeRecords', 'warning'),
      ),
    ),
    make(
      'replication stalls while the source has data',
      'replicationStalled',
      'critical',
      stalled(topo),
      // Nothing moves, so the heartbeats stop crossing too.
      { exact: true, firesAfterS: 2 * MIN, alsoFiring: [alertOf(model, 'heartbeatsReplicated', 'critical')], sliFromS: 0 },
    ),
    make(
      'the lag is high while replication runs',
      'replicationLag',
      'critical',
      fault(
        (s) => s.key === 'consumerRecordsLag',
        () => threshold('replicationLag', 'critical'),
      ),
    ),
    make(
      'the lag is in the warning band',
      'replicationLag',
      'warning',
      fault(
        (s) => s.key === 'consumerRecordsLag',
        () => threshold('replicationLag', 'warning'),
      ),
    ),
    make(
      'the lag grows steadily',
      'replicationLagGrowth',
      'warning',
      fault(
        (s) => s.key === 'consumerRecordsLag',
        (t) => 5 + 100 * stepsSinceFault(t),
      ),
      // The signal's deriv() window is 10m: bounded by that window plus the tier's for.
      { firesAfterS: 10 * MIN + tierFor(model, 'replicationLagGrowth', 'warning') },
    ),
    make(
      'the source tasks poll but write nothing',
      'replicationRatio',
      'critical',
      fault((s) => is(s, 'sourceRecordWriteTotal', { connector: src.name }), frozen),
      { firesAfterS: 2 * MIN },
    ),
    make(
      'the source tasks write 2 % less than they poll',
      'replicationRatio',
      'warning',
      fault(
        (s) => is(s, 'sourceRecordWriteTotal', { connector: src.name }),
        (t, h) => (h as number) - 20 * (stepsSinceFault(t) + 1),
      ),
      { firesAfterS: durationSeconds(model.prometheus.rateWindow) + tierFor(model, 'replicationRatio', 'warning') },
    ),
    make(
      'a producer fails a batch of records',
      'producerErrors',
      'critical',
      fault(producerOf(src, 1), (t, h) => (h as number) + 2 * threshold('producerErrors', 'critical') + stepsSinceFault(t)),
    ),
    make(
      'a producer fails a record',
      'producerErrors',
      'warning',
      fault(producerOf(src, 1), (_t, h) => (h as number) + threshold('producerErrors', 'warning')),
    ),
    make(
      'a producer runs out of buffer memory',
      'producerBufferExhausted',
      'warning',
      fault(
        (s) => s.key === 'producerBufferExhaustedTotal' && producerOf(src, 1)(s),
        (t, h) => (h as number) + 1 + stepsSinceFault(t),
      ),
    ),
    make(
      'the heartbeat task runs but writes nothing',
      'heartbeatsEmitted',
      'warning',
      fault((s) => is(s, 'sourceRecordWriteTotal', { connector: hb.name }), frozen),
      { firesAfterS: durationSeconds(model.prometheus.rateWindow) + tierFor(model, 'heartbeatsEmitted', 'warning') + STEP_S, exact: true },
    ),
    make(
      'the source cluster is unreachable: connectors RUNNING, nothing replicated, heartbeats stop crossing',
      'heartbeatsReplicated',
      'critical',
      sourceUnreachable(topo),
      { firesAfterS: 4 * durationSeconds(model.prometheus.scrapeInterval) + tierFor(model, 'heartbeatsReplicated', 'critical') },
    ),
    make(
      'the exporter rules no longer match the MM2 MBeans (after an upgrade)',
      'replicationSeriesMissing',
      'warning',
      fault(
        (s) => /^(mirror|replicationLatency|recordAge)/.test(s.key),
        () => undefined,
      ),
    ),
    make(
      'consumer offsets sync slowly (checkpoint connector)',
      'checkpointLatencyMax',
      'warning',
      fault(
        (s) => s.key === 'checkpointLatencyMsMax',
        () => threshold('checkpointLatencyMax', 'warning'),
      ),
    ),
    make(
      'workers keep rebalancing',
      'rebalanceRate',
      'warning',
      fault(
        (s) => s.key === 'rebalancesTotal',
        (t, h) => (h as number) + Math.floor((t - FAULT_AT_S) / 30),
      ),
      { firesAfterS: 5 * MIN + tierFor(model, 'rebalanceRate', 'warning') + MIN },
    ),
  ];
}

/** The source cluster cannot be reached: tasks retry, counters freeze, rates decay to 0, the lag freezes at its last value (0: caught up). */
function sourceUnreachable(topo: Topology): Fault {
  return (s, t, h) => {
    if (!after(t)) return h;
    switch (s.key) {
      case 'mirrorRecordRate':
        return 0;
      case 'mirrorRecordCount':
      case 'mirrorByteCount':
      case 'sourceRecordPollTotal':
        return frozen(t, h, s);
      case 'sourceRecordWriteTotal':
        return s.labels.connector === topo.flow.connectors.source.name ? frozen(t, h, s) : h;
      case 'replicationLatencyMsAvg':
      case 'replicationLatencyMsMax':
      case 'recordAgeMsAvg':
      case 'recordAgeMsMax':
        return 'NaN';
      case 'consumerRecordsLag':
        return 0;
      default:
        return h;
    }
  };
}

/** No partition of the flow moves; the consumer's lag grows; windowed stats go NaN (no record in their window). */
function stalled(topo: Topology): Fault {
  return (s, t, h) => {
    if (!after(t)) return h;
    switch (s.key) {
      case 'mirrorRecordRate':
        return 0;
      case 'mirrorRecordCount':
      case 'mirrorByteCount':
      case 'sourceRecordPollTotal':
        return frozen(t, h, s);
      case 'sourceRecordWriteTotal':
        return s.labels.connector === topo.flow.connectors.source.name ? frozen(t, h, s) : h;
      case 'replicationLatencyMsAvg':
      case 'replicationLatencyMsMax':
      case 'recordAgeMsAvg':
      case 'recordAgeMsMax':
        return 'NaN';
      case 'consumerRecordsLag':
        return 5 + 20 * stepsSinceFault(t);
      default:
        return h;
    }
  };
}

/** Noisy but healthy: nothing may fire at any minute of these. */
export function noisyScenarios(topo: Topology): Scenario[] {
  const everyMinute = (until: number) => Array.from({ length: Math.floor(until / MIN) }, (_, i) => ({ at: (i + 1) * MIN, firing: [], exact: true }));
  const orders = topo.partitions.filter((p) => p.topic !== 'heartbeats');
  const durationS = FAULT_AT_S + 20 * MIN;
  return [
    {
      name: 'a 30 s latency and record-age blip',
      durationS,
      fault: (s, t, h) => {
        if (!after(t) || t >= FAULT_AT_S + 30) return h;
        if (/^(replicationLatencyMs|recordAgeMs)/.test(s.key)) return 60_000;
        if (s.key === 'sourceRecordActiveCount') return 50_000;
        return h;
      },
      checks: everyMinute(durationS),
    },
    {
      name: 'a worker restarts: its series go for 45 s, its counters reset, two rebalances',
      durationS,
      fault: (s, t, h) => {
        const v = workerStops(1, 45)(s, t, h);
        // Every worker sees the two rebalances of the restart.
        return s.key === 'rebalancesTotal' && s.worker !== 1 && after(t) ? (v as number) + 2 : v;
      },
      checks: everyMinute(durationS),
    },
    {
      name: 'a topic goes idle: windowed stats NaN, last-record gauges frozen, no lag',
      durationS,
      fault: fault(
        (s) => orders.some((p) => s.labels.topic === p.remote || s.labels.topic === consumerTopicTag(p.topic)),
        (t, h, s) => {
          if (/^(replicationLatencyMs|recordAgeMs)(Avg|Max)$/.test(s.key)) return 'NaN';
          if (s.key === 'replicationLatencyMs') return 9_000;
          if (s.key === 'mirrorRecordRate' || s.key === 'consumerRecordsLag') return 0;
          if (s.key === 'mirrorRecordCount' || s.key === 'mirrorByteCount') return frozen(t, h, s);
          return h;
        },
      ),
      checks: everyMinute(durationS),
    },
  ];
}
