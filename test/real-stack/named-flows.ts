import { strimziConnectorName } from '../../src/model/topology.js';

/**
 * The environment of the named-flows run (record-named.ts) and of the offline tests that read
 * its recording: one Connect cluster attached to `applicatif` running a flow each way, the
 * connectors named as Strimzi's KafkaMirrorMaker2 operator names them (JMX-quoted in MBean
 * names, since they hold `>`), and the reverse flow's source connector with a name holding
 * characters ObjectName.quote escapes (`"`, `*`, `?`) and blanks, which Connect accepts too. (A
 * backslash is escaped the same way; it is left out because Jetty, which serves Connect's REST API, may refuse
 * it in a URL path as a suspicious character.)
 */
export const NAMED_FORWARD = { source: 'nemo', target: 'applicatif' } as const;
export const NAMED_REVERSE = { source: 'applicatif', target: 'nemo' } as const;
export const ESCAPED_CONNECTOR_NAME = 'applicatif->nemo "invoices*" ?source';

const strimzi = (f: { source: string; target: string }) => ({
  source: { name: strimziConnectorName(f.source, f.target, 'source'), tasksMax: 2 },
  checkpoint: { name: strimziConnectorName(f.source, f.target, 'checkpoint') },
  heartbeat: { name: strimziConnectorName(f.source, f.target, 'heartbeat') },
});

export const NAMED_FLOWS_OVERRIDE = {
  connect: { kafkaCluster: NAMED_FORWARD.target },
  flows: [
    { ...NAMED_FORWARD, connectors: strimzi(NAMED_FORWARD) },
    { ...NAMED_REVERSE, connectors: { ...strimzi(NAMED_REVERSE), source: { name: ESCAPED_CONNECTOR_NAME, tasksMax: 2 } } },
  ],
} as const;

/** The reverse flow's business topic on applicatif, and its consumer group: its records must land in nemo as applicatif.invoices. */
export const REVERSE_TOPIC = { name: 'invoices', partitions: 6, group: 'ledger', rate: 50 } as const;
