import { describe, expect, it } from 'vitest';
import { bootstrapPlaceholder, connectorFilePath } from '../../../src/builders/connect/connectors.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { loadModel } from '../../../src/model/load.js';
import { connectorsOf } from '../../../src/model/topology.js';

/** The connector files of a model: path -> the parsed `{ __generated, name, config }`. */
function connectFiles(override: unknown): Map<string, { __generated: string; name: string; config: Record<string, string> }> {
  return new Map(
    [...buildBundle(loadModel(override))].filter(([path]) => path.startsWith('connect/')).map(([path, content]) => [path, JSON.parse(content)] as const),
  );
}

const BOTH_WAYS = {
  flows: [
    { source: 'nemo', target: 'applicatif' },
    { source: 'applicatif', target: 'nemo' },
  ],
};

describe('the connector configurations of connect/', () => {
  it('point the producers of a flow into another cluster than the workers’ at its target, and only those', () => {
    const files = connectFiles({ ...BOTH_WAYS, connect: { kafkaCluster: 'applicatif' } });
    const model = loadModel({ ...BOTH_WAYS, connect: { kafkaCluster: 'applicatif' } });
    for (const flow of model.flows) {
      for (const c of connectorsOf(flow)) {
        const file = files.get(connectorFilePath(c))!;
        expect(file.name).toBe(c.name);
        if (flow.target === 'nemo') {
          expect(file.config['producer.override.bootstrap.servers'], c.name).toBe(bootstrapPlaceholder('nemo'));
          expect(file.__generated).toContain(
            'the Connect workers are attached to applicatif, so its producer writes into nemo through producer.override.bootstrap.servers',
          );
          expect(file.__generated).toContain('connector.client.config.override.policy');
        } else {
          expect(file.config['producer.override.bootstrap.servers'], c.name).toBeUndefined();
          expect(file.__generated).not.toContain('override.policy');
        }
        // MM2's own clients keep their cluster settings whatever the workers' cluster.
        expect(file.config['source.cluster.bootstrap.servers']).toBe(bootstrapPlaceholder(flow.source));
        expect(file.config['target.cluster.bootstrap.servers']).toBe(bootstrapPlaceholder(flow.target));
      }
    }
  });

  it("take the first flow's target as the workers' cluster when the file does not say, and follow connect.kafkaCluster when it does", () => {
    const byDefault = connectFiles(BOTH_WAYS);
    expect(byDefault.get('connect/applicatif-to-nemo-source.json')!.config['producer.override.bootstrap.servers']).toBe(bootstrapPlaceholder('nemo'));
    expect(byDefault.get('connect/nemo-to-applicatif-source.json')!.config['producer.override.bootstrap.servers']).toBeUndefined();
    const attachedToNemo = connectFiles({ ...BOTH_WAYS, connect: { kafkaCluster: 'nemo' } });
    expect(attachedToNemo.get('connect/nemo-to-applicatif-source.json')!.config['producer.override.bootstrap.servers']).toBe(
      bootstrapPlaceholder('applicatif'),
    );
    expect(attachedToNemo.get('connect/applicatif-to-nemo-source.json')!.config['producer.override.bootstrap.servers']).toBeUndefined();
    // The tuning guide's single flow, attached to its target: the files are as they were.
    expect(Object.keys(connectFiles({}).get('connect/nemo-to-applicatif-source.json')!.config)).not.toContain('producer.override.bootstrap.servers');
  });

  it('are files of their own for names that differ only by characters a file name cannot hold', () => {
    const names = [
      'nemo->applicatif.MirrorSourceConnector',
      'nemo-_applicatif.MirrorSourceConnector',
      'nemo/applicatif.MirrorSourceConnector',
      '.hidden',
      'a"b*c?d\\e',
    ];
    const paths = names.map((name) => connectorFilePath({ name }));
    expect(new Set(paths).size).toBe(names.length);
    expect(paths[0]).toBe('connect/nemo-%3Eapplicatif.MirrorSourceConnector.json');
    for (const p of paths) expect(p).toMatch(/^connect\/[A-Za-z0-9_%-][A-Za-z0-9._%-]*\.json$/);
  });

  it('are not written for the flows of a Strimzi KafkaMirrorMaker2, whose operator writes its connectors; the source-side heartbeat emitter is', () => {
    const files = connectFiles({ connect: { strimzi: 'kafkaMirrorMaker2' } });
    expect([...files.keys()]).toEqual(['connect/nemo-heartbeats-at-source.json']);
    const names = connectorsOf(loadModel({ connect: { strimzi: 'kafkaMirrorMaker2' } }).flows[0]!).map((c) => c.name);
    expect(names).toEqual([
      'nemo->applicatif.MirrorSourceConnector',
      'nemo->applicatif.MirrorCheckpointConnector',
      'nemo->applicatif.MirrorHeartbeatConnector',
    ]);
  });
});
