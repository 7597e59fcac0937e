import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../../src/conventions/labels.js';
import { WATCHDOG_ALERT } from '../../../src/conventions/names.js';
import { METRICS, type MetricKey } from '../../../src/metrics/names.js';
import type { Model } from '../../../src/model/model.js';
import {
  type Connector,
  connectorsOf,
  consumerTopicTag,
  type Flow,
  heartbeatEmitterName,
  producerClientId,
  remoteHeartbeatsTopic,
  remoteTopicName,
  replicationConsumerClientId,
} from '../../../src/model/topology.js';

/**
 * Builds `promtool test rules` files from the model: raw exporter series (names from names.ts,
 * labels job/instance/cluster plus the exporter's labels) of a simulated healthy cluster, a
 * fault applied from FAULT_AT on, and the ALERTS expected to fire at given times.
 */

export const STEP_S = 15;
/** Late enough for every rate window (5m) and the lag-growth window (10m) to be full of healthy samples. */
export const FAULT_AT_S = 11 * 60;

/** A sample: a number, NaN (windowed Kafka stats with no record in their window) or absent. */
export type Sample = number | 'NaN' | undefined;

export interface SeriesSpec {
  readonly key: MetricKey;
  readonly labels: Readonly<Record<string, string>>;
  /** Index of the worker whose exporter serves it. */
  readonly worker: number;
  /** Healthy value at time t (seconds). */
  readonly healthy: (t: number) => Sample;
}

/** The value a scenario gives one series at time t, given its healthy value. */
export type Fault = (s: SeriesSpec, t: number, healthy: Sample) => Sample;

export interface ExpectedAlert {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Check {
  readonly at: number;
  /** Alerts that must be firing at `at`. */
  readonly firing: readonly ExpectedAlert[];
  /** When true, nothing else may be firing. */
  readonly exact: boolean;
}

export interface Scenario {
  readonly name: string;
  /** Series that exist only in this scenario (e.g. tasks restarted on another worker). */
  readonly extraSeries?: readonly SeriesSpec[];
  readonly durationS: number;
  readonly fault: Fault;
  readonly checks: readonly Check[];
  /** Extra PromQL checks (e.g. SLO series values). */
  readonly exprChecks?: readonly { at: number; expr: string; samples: { labels: string; value: number }[] }[];
  /** alert_rule_test entries with exact annotations. */
  readonly alertTests?: readonly { at: number; alertname: string; alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] }[];
}

export interface Topology {
  readonly flow: Flow;
  readonly instances: readonly string[];
  readonly series: readonly SeriesSpec[];
  /** Remote topics with their partitions and the source task (and worker) that replicates them. */
  readonly partitions: readonly { topic: string; remote: string; partition: number; task: number; worker: number }[];
  /** Worker running each connector and each task (index into instances). */
  readonly connectorWorker: (c: Connector) => number;
  readonly taskWorker: (c: Connector, task: number) => number;
  /** The source cluster's heartbeat emitter (connect/): its name, the worker running the connector and the one running its task. */
  readonly emitter: { readonly name: string; readonly connectorWorker: number; readonly taskWorker: number };
}

const steps = (t: number) => Math.floor(t / STEP_S);

/** The healthy cluster of the model's first flow: every series a rule reads, on its worker. */
export function healthyTopology(model: Model): Topology {
  const flow = model.flows[0]!;
  const instances = model.workers.map((w) => w.instance);
  const n = instances.length;
  const connectors = connectorsOf(flow);
  const connectorWorker = (c: Connector) => connectors.indexOf(c) % n;
  const taskWorker = (c: Connector, task: number) => (connectors.indexOf(c) + task) % n;
  const src = flow.connectors.source;
  const partitions = [...[0, 1, 2].map((p) => ({ topic: 'orders.events', partition: p })), { topic: 'heartbeats', partition: 0 }].map((x, i) => {
    const task = i % src.tasksMax;
    return {
      topic: x.topic,
      remote: x.topic === 'heartbeats' ? remoteHeartbeatsTopic(flow) : remoteTopicName(flow, x.topic),
      partition: x.partition,
      task,
      worker: taskWorker(src, task),
    };
  });
  const series: SeriesSpec[] = [];
  const add = (key: MetricKey, worker: number, labels: Record<string, string>, healthy: (t: number) => Sample) => series.push({ key, worker, labels, healthy });

  instances.forEach((_, w) => {
    add('up', w, {}, () => 1);
    add('rebalancesTotal', w, {}, () => 3);
    // promtool's clock starts at 0: every JVM started an hour before.
    add('processStartTimeSeconds', w, {}, () => -3600);
  });
  for (const c of connectors) {
    add('connectorStatus', connectorWorker(c), { connector: c.name, status: 'running' }, () => 1);
    for (let t = 0; t < c.tasksMax; t++) {
      add('taskStatus', taskWorker(c, t), { connector: c.name, task: String(t), status: 'running' }, () => 1);
      // Errors from long ago: a restart's counter reset must not read as new errors.
      add('producerRecordErrorTotal', taskWorker(c, t), { client_id: producerClientId(c, t) }, () => 40);
      add('producerBufferExhaustedTotal', taskWorker(c, t), { client_id: producerClientId(c, t) }, () => 7);
    }
  }
  for (let t = 0; t < src.tasksMax; t++) {
    const w = taskWorker(src, t);
    add('sourceRecordPollTotal', w, { connector: src.name, task: String(t) }, (x) => 1000 * steps(x));
    add('sourceRecordWriteTotal', w, { connector: src.name, task: String(t) }, (x) => 1000 * steps(x));
    add('sourceRecordActiveCount', w, { connector: src.name, task: String(t) }, () => 50);
  }
  // The heartbeat connector writes one record every 5 s.
  const hb = flow.connectors.heartbeat;
  add('sourceRecordWriteTotal', taskWorker(hb, 0), { connector: hb.name, task: '0' }, (x) => 3 * steps(x));
  for (const p of partitions) {
    const mirror = { target: flow.target, topic: p.remote, partition: String(p.partition) };
    add('replicationLatencyMsAvg', p.worker, mirror, () => 20);
    add('replicationLatencyMsMax', p.worker, mirror, () => 50);
    add('replicationLatencyMs', p.worker, mirror, () => 20);
    add('recordAgeMsAvg', p.worker, mirror, () => 100);
    add('recordAgeMsMax', p.worker, mirror, () => 200);
    add('mirrorRecordCount', p.worker, mirror, (x) => 150 * steps(x));
    add('mirrorByteCount', p.worker, mirror, (x) => 15000 * steps(x));
    add('mirrorRecordRate', p.worker, mirror, () => 10);
    add(
      'consumerRecordsLag',
      p.worker,
      {
        client_id: replicationConsumerClientId(flow, p.task),
        topic: consumerTopicTag(p.topic),
        partition: String(p.partition),
      },
      () => 5,
    );
  }
  // The heartbeat emitter of the source cluster: its connector and its task on two workers.
  const emitter = { name: heartbeatEmitterName(flow), connectorWorker: 0, taskWorker: 1 % n };
  add('connectorStatus', emitter.connectorWorker, { connector: emitter.name, status: 'running' }, () => 1);
  add('taskStatus', emitter.taskWorker, { connector: emitter.name, task: '0', status: 'running' }, () => 1);
  const cp = flow.connectors.checkpoint;
  add(
    'checkpointLatencyMsMax',
    taskWorker(cp, 0),
    {
      source: flow.source,
      target: flow.target,
      group: 'orders-consumer',
      topic: remoteTopicName(flow, 'orders.events'),
      partition: '0',
    },
    () => 100,
  );
  return { flow, instances, series, partitions, connectorWorker, taskWorker, emitter };
}

function seriesText(model: Model, topo: Topology, s: SeriesSpec): string {
  const labels: Record<string, string> = {
    ...s.labels,
    job: model.prometheus.job,
    instance: topo.instances[s.worker]!,
    cluster: model.prometheus.cluster,
  };
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ');
  return `${METRICS[s.key].name}{${body}}`;
}

/**
 * A series that stops being scraped gets a stale marker, as Prometheus writes one when a series
 * leaves a target's scrape or the target goes: without it the last sample would stay visible
 * for the 5 min lookback.
 */
function withStaleMarkers(values: readonly Sample[]): string {
  const parts: string[] = [];
  let run: Sample[] = [];
  const flush = () => {
    if (run.length) parts.push(compact(run));
    run = [];
  };
  values.forEach((v, i) => {
    if (v === undefined && i > 0 && values[i - 1] !== undefined) {
      flush();
      parts.push('stale');
    } else run.push(v);
  });
  flush();
  return parts.join(' ');
}

/** promtool's expanding notation: runs of equal steps as `a+bxN`, gaps as `_`. */
export function compact(values: readonly Sample[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i];
    if (v === undefined) {
      let j = i;
      while (j + 1 < values.length && values[j + 1] === v) j++;
      // Unlike `vxN` (N + 1 values), `_xN` is N blanks.
      out.push(j > i ? `_x${j - i + 1}` : '_');
      i = j + 1;
      continue;
    }
    // promtool expands no NaN run: each NaN is written out.
    if (v === 'NaN') {
      out.push('NaN');
      i++;
      continue;
    }
    let j = i;
    const next = values[i + 1];
    const d = typeof next === 'number' ? next - v : undefined;
    if (d !== undefined) while (j + 1 < values.length && typeof values[j + 1] === 'number' && (values[j + 1] as number) - (values[j] as number) === d) j++;
    if (j === i) out.push(String(v));
    else out.push(d === 0 ? `${v}x${j - i}` : `${v}${d! > 0 ? '+' : '-'}${Math.abs(d!)}x${j - i}`);
    i = j + 1;
  }
  return out.join(' ');
}

/** Every firing alert but the watchdog, which always fires (rules.test.ts checks it does). */
const ALL_FIRING = `ALERTS{alertstate="firing", alertname!="${WATCHDOG_ALERT}"}`;

/** Every alert of the bundle carries the bundle's label (its Alertmanager routes match on it): scenarios list the rest. */
const withBundleLabel = (labels: Readonly<Record<string, string>>) => ({ ...labels, [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE });

function alertsSeries(e: ExpectedAlert): string {
  const labels: Record<string, string> = { ...withBundleLabel(e.labels), alertname: e.alertname, alertstate: 'firing' };
  return `ALERTS{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}

const fmt = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);

/** One promtool test group per scenario. */
export function testGroup(model: Model, topo: Topology, sc: Scenario): object {
  const n = Math.floor(sc.durationS / STEP_S) + 1;
  const input_series = [...topo.series, ...(sc.extraSeries ?? [])].flatMap((s) => {
    const values: Sample[] = [];
    for (let i = 0; i < n; i++) {
      const t = i * STEP_S;
      values.push(sc.fault(s, t, s.healthy(t)));
    }
    return values.every((v) => v === undefined) ? [] : [{ series: seriesText(model, topo, s), values: withStaleMarkers(values) }];
  });
  const promql_expr_test = [
    ...sc.checks.map((c) =>
      c.exact ? { expr: ALL_FIRING, eval_time: fmt(c.at), exp_samples: c.firing.map((a) => ({ labels: alertsSeries(a), value: 1 })) } : null,
    ),
    ...sc.checks.flatMap((c) =>
      c.exact ? [] : c.firing.map((a) => ({ expr: alertsSeries(a), eval_time: fmt(c.at), exp_samples: [{ labels: alertsSeries(a), value: 1 }] })),
    ),
    ...(sc.exprChecks ?? []).map((e) => ({ expr: e.expr, eval_time: fmt(e.at), exp_samples: e.samples })),
  ].filter((x) => x !== null);
  const alert_rule_test = (sc.alertTests ?? []).map((a) => ({
    eval_time: fmt(a.at),
    alertname: a.alertname,
    exp_alerts: a.alerts.map((x) => ({ exp_labels: withBundleLabel(x.labels), exp_annotations: x.annotations })),
  }));
  return { name: sc.name, interval: `${STEP_S}s`, input_series, promql_expr_test, ...(alert_rule_test.length ? { alert_rule_test } : {}) };
}

/**
 * Expands the templates the rules use ({{ $labels.x }}, {{ $value | humanize }}, and the unit's
 * singular or plural: {{ if eq $value 1.0 }}task{{ else }}tasks{{ end }}) for an integer value.
 * promtool compares the result with Prometheus' own expansion.
 */
export function expandTemplate(template: string, labels: Record<string, string>, value: number): string {
  return template
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l] ?? '')
    .replace(/\{\{ if eq \$value 1\.0 \}\}(.*?)\{\{ else \}\}(.*?)\{\{ end \}\}/g, (_, one: string, many: string) => (value === 1 ? one : many))
    .replace(/\{\{ \$value \| humanize \}\}/g, String(value));
}
