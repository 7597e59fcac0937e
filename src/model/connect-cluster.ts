import type { Config } from './config.js';
import { type ConnectorKind, defaultConnectorName, strimziConnectorName } from './topology.js';

/** The connector name when the file sets none: Strimzi's KafkaMirrorMaker2 operator chooses its own. */
export function connectorNameOf(config: Config, source: string, target: string, kind: ConnectorKind): string {
  return config.connect.strimzi === 'kafkaMirrorMaker2' ? strimziConnectorName(source, target, kind) : defaultConnectorName(source, target, kind);
}

/**
 * The Kafka cluster the Connect workers are attached to: as set, else the first flow's target
 * (the tuning guide's setup, and a KafkaMirrorMaker2's connectCluster).
 */
export function attachedCluster(config: Config): string {
  return config.connect.kafkaCluster ?? config.flows[0]!.target;
}
