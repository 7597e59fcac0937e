import { eq, metricSelector } from '../../promql/selector.js';
import { decision } from '../provenance.js';
import { connectorLabel } from '../topology.js';
import { inGroup, mirror } from './queries.js';
import type { SignalTopic } from './topic.js';

/** The monitoring itself blind: the source connector runs but its replication series are gone. */
export const exporter = {
  signals: {
    replicationSeriesMissing: {
      def: {
        scope: 'flow',
        title: 'Replication metrics missing (exporter blind)',
        meaning:
          '1 while the source connector runs but no MirrorSourceConnector series of the flow exists: an exporter rule that no longer matches (after a Kafka or ' +
          'jmx_exporter upgrade) or a connector that replicates no topic. Latency, age and lag alerts cannot fire while it lasts.',
        unit: 'connectors',
        direction: 'above',
        record: 'mm2_flow:replication_series_missing:bool',
        by: [],
        runbook: 'exporter-blind',
        expr: (f, ctx) =>
          `(clamp_max(count(${metricSelector('connectorStatus', { ...inGroup(ctx), connector: eq(connectorLabel(f.connectors.source)), status: eq('running') })}), 1) ` +
          `unless on () count(${metricSelector('mirrorRecordCount', mirror(f, ctx))})) or on () vector(0)`,
      },
      thresholds: {
        slaRole:
          'The source connector runs but none of its replication series exists: the latency, age and lag alerts cannot fire and their panels go empty, so a late or stopped flow would go unseen by them. The monitoring is blind, not the flow: not downtime.',
        onBreach: "The exporter rules match nothing (a Kafka upgrade changed the MBean names?): compare the worker's /metrics with scrape/jmx-exporter.yaml.",
        warning: {
          threshold: 1,
          for: '5m',
          from: {
            threshold: decision('no series at all while the connector runs: the monitoring is blind, not the flow'),
            for: decision('longer than a task restart, after which the series come back'),
          },
        },
      },
    },
  },
  advice: {
    'exporter-blind': {
      confirm: [
        'The source connector runs but Prometheus has no MirrorSourceConnector series of the flow: latency, age and lag alerts cannot fire while it lasts. ' +
          'Either the JMX exporter rules no longer match the MBeans (after a Kafka or jmx_exporter upgrade), or the connector replicates no topic.',
        'Read the exporter of a worker that runs a source task: `curl -s http://<worker>:<exporter port>/metrics | grep -c kafka_connect_mirror` ' +
          "(the port is the javaagent's, e.g. 7072). Zero with tasks running means the rules do not match.",
        'List the MBeans the worker really has: `kafka.connect.mirror:type=MirrorSourceConnector,target=..,topic=..,partition=..` (Kafka 4.x adds `source`); compare their shape with the patterns of scrape/jmx-exporter.yaml.',
        'Does the connector replicate anything? `curl -s $CONNECT/connectors/<connector>/config | jq \'.topics, ."topics.exclude"\'` against the topics of `$SOURCE`.',
      ],
      fix: [
        'Rules that no longer match: rebuild the bundle with the version of this project that knows the MBean shape, roll scrape/jmx-exporter.yaml out to every worker and restart them one at a time (the agent reads its rules at start).',
        "No topic to replicate: correct the connector's `topics` include list (`PUT $CONNECT/connectors/<connector>/config`), or remove the flow from the model if it is meant to be idle.",
      ],
      escalate: [
        "The metrics stay missing after the exporter rules are rolled out: the maintainers of this monitoring bundle, with a sample of the worker's MBean names.",
      ],
    },
  },
} as const satisfies SignalTopic;
