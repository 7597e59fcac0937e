import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emulateExporter, javaDoubleString, javaReplacement, type MBeanReading, matchString, objectNameMatches } from '../../src/emulation/exporter.js';
import type { ExporterConfig, ExporterRule } from '../../src/metrics/jmx-exporter.js';
import { jmxSanitize } from '../../src/model/topology.js';

/** An ObjectName as Kafka registers it, e.g. `kafka.connect:type=connector-metrics,connector=a`. */
function reading(objectName: string, attribute: string, value: number | string | boolean): MBeanReading {
  const [domain, props] = objectName.split(/:(.*)/s) as [string, string];
  // Split on commas outside quotes: quoted values (client ids) may contain anything but quotes.
  const properties = props.match(/[^,=]+=("(?:[^"\\]|\\.)*"|[^,]*)/g)!.map((p) => {
    const eq = p.indexOf('=');
    return [p.slice(0, eq), p.slice(eq + 1)] as const;
  });
  return { domain, properties, attribute, value };
}

function run(rules: readonly ExporterRule[], readings: readonly MBeanReading[], extra: Omit<ExporterConfig, 'rules'> = {}) {
  return emulateExporter({ ...extra, rules }, readings);
}

const STATUS = reading('kafka.connect:type=connector-metrics,connector=mm2-source', 'status', 'running');
const STATUS_RULE: ExporterRule = {
  pattern: 'kafka.connect<type=connector-metrics, connector=([^,>]+)><>status: ([a-z]+)',
  name: 'kafka_connect_connector_status',
  value: 1,
  labels: { connector: '$1', status: '$2' },
  type: 'GAUGE',
};

describe('match string', () => {
  // The reference catalog records, per MBean family, the exact string the exporter matches.
  const catalog = JSON.parse(readFileSync(new URL('../fixtures/kafka-catalog.json', import.meta.url), 'utf8')) as {
    exampleObjectName: string;
    exampleJmxExporterInput?: string;
  }[];
  const examples = catalog.filter((e) => e.exampleJmxExporterInput);

  it.each(examples.map((e) => [e.exampleJmxExporterInput!, e.exampleObjectName]))('is built as the exporter builds it: %s', (input, objectName) => {
    const [, attribute, value] = /<>([^:]+): (.*)$/.exec(input)!;
    const numeric = /^-?[0-9.]+(E-?[0-9]+)?$|^NaN$/.test(value!);
    expect(matchString(reading(objectName, attribute!, numeric ? Number(value) : value!))).toBe(input);
  });

  it('prints numbers as Java doubles', () => {
    expect([42, 0, 0.5, 1e7, 1.5e-4, NaN, Infinity].map(javaDoubleString)).toEqual(['42.0', '0.0', '0.5', '1.0E7', '1.5E-4', 'NaN', 'Infinity']);
  });
});

describe('rule matching', () => {
  it('exports a string status only through value: 1, with the state as a label', () => {
    expect(run([STATUS_RULE], [STATUS])).toEqual([
      { name: 'kafka_connect_connector_status', type: 'gauge', labels: { connector: 'mm2-source', status: 'running' }, value: 1 },
    ]);
    const { value: _, ...withoutValue } = STATUS_RULE;
    expect(run([withoutValue], [STATUS])).toEqual([]);
  });

  it('stops at the first matching rule even when it cannot use the value', () => {
    const generic: ExporterRule = {
      pattern: 'kafka.connect<type=connector-metrics, connector=([^,>]+)><>([a-z-]+)',
      name: 'kafka_connect_connector_$2',
      labels: { connector: '$1' },
    };
    expect(run([generic, STATUS_RULE], [STATUS])).toEqual([]);
    expect(run([STATUS_RULE, generic], [STATUS])).toHaveLength(1);
  });

  it('keeps JMX quotes in a (.+) capture and strips them with the quoted alternative', () => {
    const id = 'A->B|mm2-source-0|replication-consumer';
    const r = reading(`kafka.consumer:type=consumer-fetch-manager-metrics,client-id=${jmxSanitize(id)}`, 'records-lag-max', 12);
    expect(jmxSanitize(id)).toBe(`"${id}"`);
    const naive = run(
      [{ pattern: 'kafka.consumer<type=consumer-fetch-manager-metrics, client-id=(.+)><>records-lag-max', name: 'lag', labels: { client_id: '$1' } }],
      [r],
    );
    expect(naive[0]!.labels.client_id).toBe(`"${id}"`);
    // The ">" of "A->B" stops a plain ([^,>]+) capture: MM2 client ids only match inside their quotes.
    expect(run([{ pattern: 'client-id=([^,>]+)><>records-lag-max', name: 'lag' }], [r])).toEqual([]);
    const stripped = run(
      [
        {
          pattern: 'kafka.consumer<type=consumer-fetch-manager-metrics, client-id=(?:"([^"]*)"|([^,>]+))><>records-lag-max',
          name: 'lag',
          labels: { client_id: '$1$2' },
        },
      ],
      [r, reading('kafka.consumer:type=consumer-fetch-manager-metrics,client-id=plain-consumer', 'records-lag-max', 3)],
    );
    expect(stripped.map((s) => s.labels.client_id)).toEqual([id, 'plain-consumer']);
  });

  it('lets a greedy (.+) swallow the following properties, which ([^,>]+) cannot', () => {
    const bean = reading('kafka.connect.mirror:type=MirrorCheckpointConnector,source=A,target=B,group=g1,topic=A.t,partition=0', 'checkpoint-latency-ms', 6);
    const greedy = run(
      [
        {
          pattern: 'kafka.connect.mirror<type=MirrorCheckpointConnector, source=(.+), target=(.+)><>checkpoint-latency-ms',
          name: 'cl',
          labels: { source: '$1', target: '$2' },
        },
      ],
      [bean],
    );
    expect(greedy[0]!.labels.target).toBe('B, group=g1, topic=A.t, partition=0');
    const bounded = run(
      [
        {
          pattern: 'kafka.connect.mirror<type=MirrorCheckpointConnector, source=([^,>]+), target=([^,>]+)><>checkpoint-latency-ms',
          name: 'cl',
          labels: { target: '$2' },
        },
      ],
      [bean],
    );
    expect(bounded).toEqual([]);
  });

  it('matches both MirrorSourceConnector shapes with an optional source property, leaving the label out on 3.7', () => {
    const rule: ExporterRule = {
      pattern:
        'kafka.connect.mirror<type=MirrorSourceConnector(?:, source=([^,>]+))?, target=([^,>]+), topic=([^,>]+), partition=([0-9]+)><>replication-latency-ms: ',
      name: 'latency',
      labels: { source: '$1', target: '$2', topic: '$3', partition: '$4' },
    };
    const [v3, v4] = run(
      [rule],
      [
        reading('kafka.connect.mirror:type=MirrorSourceConnector,target=B,topic=A.orders,partition=0', 'replication-latency-ms', 42),
        reading('kafka.connect.mirror:type=MirrorSourceConnector,source=A,target=B,topic=A.orders,partition=0', 'replication-latency-ms', 42),
      ],
    );
    expect(v3!.labels).toEqual({ partition: '0', target: 'B', topic: 'A.orders' });
    expect(v4!.labels).toEqual({ partition: '0', source: 'A', target: 'B', topic: 'A.orders' });
  });

  it('matches unanchored: a pattern for an attribute also matches longer attribute names unless it ends at ": "', () => {
    const max = reading('kafka.connect.mirror:type=MirrorSourceConnector,target=B,topic=t,partition=0', 'replication-latency-ms-max', 1);
    expect(run([{ pattern: '<>replication-latency-ms', name: 'latency' }], [max])).toHaveLength(1);
    expect(run([{ pattern: '<>replication-latency-ms: ', name: 'latency' }], [max])).toEqual([]);
  });

  it('keeps _total for COUNTER and strips it from other types (1.x)', () => {
    const r = reading('kafka.producer:type=producer-metrics,client-id=p', 'record-error-total', 2);
    const name = (rule: Omit<ExporterRule, 'pattern'>) => run([{ pattern: 'record-error-total', ...rule }], [r])[0]!.name;
    expect(name({ name: 'foo', type: 'COUNTER' })).toBe('foo_total');
    expect(name({ name: 'foo_total', type: 'COUNTER' })).toBe('foo_total');
    expect(name({ name: 'foo_total', type: 'GAUGE' })).toBe('foo');
    expect(name({ name: 'foo_total' })).toBe('foo');
    expect(name({ name: 'foo_info', type: 'GAUGE' })).toBe('foo');
  });

  it('sanitises and lower-cases names, sorts labels and drops empty ones', () => {
    const r = reading('kafka.connect.mirror:type=MirrorSourceConnector,target=B,topic=A.orders,partition=0', 'record-age-ms', 5);
    const [s] = run(
      [
        {
          pattern: '(kafka.connect.mirror)<type=(\\w+), target=([^,>]+)(?:, source=([^,>]+))?.*><>([a-z-]+)',
          name: '$1_$2__$5',
          labels: { zone: '$3', 'a-b': 'x', empty: '$4' },
        },
      ],
      [r],
      { lowercaseOutputName: true },
    );
    expect(s!.name).toBe('kafka_connect_mirror_mirrorsourceconnector_record_age_ms');
    expect(Object.keys(s!.labels)).toEqual(['a_b', 'zone']);
    expect(run([{ pattern: 'record-age', name: '9lives' }], [r])[0]!.name).toBe('_9lives');
  });

  it('substitutes captures into the value, and drops a value that is not a number', () => {
    const r = reading('kafka.connect:type=connect-worker-rebalance-metrics', 'leader-name', 'worker-3');
    const rule = (value: string): ExporterRule => ({ pattern: 'leader-name: worker-([0-9a-z]+)', name: 'leader', value });
    expect(run([rule('$1')], [r])[0]!.value).toBe(3);
    expect(run([rule('$1')], [{ ...r, value: 'worker-x' }])).toEqual([]);
    expect(javaReplacement('a$12', ['whole', 'one'])).toBe('aone2');
  });

  it('reads only the MBeans includeObjectNames selects', () => {
    const inc = ['kafka.producer:type=producer-metrics,client-id=connector-producer-*', 'kafka.connect:type=connect-worker-metrics,*'];
    const rules: ExporterRule[] = [{ pattern: '.*', name: 'x' }];
    const readings = [
      reading('kafka.producer:type=producer-metrics,client-id=connector-producer-a-0', 'record-send-total', 1),
      reading(`kafka.producer:type=producer-metrics,client-id=${jmxSanitize('A->B|a-0|offset-syncs-source-producer')}`, 'record-send-total', 1),
      reading('kafka.connect:type=connect-worker-metrics', 'task-count', 1),
      reading('kafka.connect:type=connect-worker-metrics,connector=a', 'connector-running-task-count', 1),
      reading('kafka.connect:type=connector-metrics,connector=a', 'status', 1),
    ];
    expect(run(rules, readings, { includeObjectNames: inc })).toHaveLength(3);
    expect(run(rules, readings, { includeObjectNames: inc, excludeObjectNames: ['kafka.connect:*'] })).toHaveLength(1);
    expect(
      objectNameMatches('kafka.connect:type=connect-worker-metrics', 'kafka.connect', [
        ['type', 'connect-worker-metrics'],
        ['connector', 'a'],
      ]),
    ).toBe(false);
  });

  it('tells colliding series apart with _objectname, as 1.x does', () => {
    const rule: ExporterRule = { pattern: 'type=source-task-metrics.*><>source-record-poll-total', name: 'polled', type: 'COUNTER' };
    const samples = run(
      [rule],
      [
        reading('kafka.connect:type=source-task-metrics,connector=a,task=0', 'source-record-poll-total', 1),
        reading('kafka.connect:type=source-task-metrics,connector=a,task=1', 'source-record-poll-total', 1),
      ],
    );
    expect(samples.map((s) => s.labels._objectname)).toEqual([
      'kafka.connect<type=source-task-metrics, connector=a, task=0><>source-record-poll-total',
      'kafka.connect<type=source-task-metrics, connector=a, task=1><>source-record-poll-total',
    ]);
  });

  it('matches a cached rule against `<cache>` in place of the value, as the agent does: a rule reading the value then matches nothing', () => {
    expect(run([STATUS_RULE], [STATUS]).length).toBe(1);
    expect(run([{ ...STATUS_RULE, cache: true }], [STATUS])).toEqual([]);
    const numeric: ExporterRule = { pattern: 'type=source-task-metrics.*><>source-record-poll-total: ', name: 'polled', type: 'COUNTER', cache: true };
    expect(run([numeric], [reading('kafka.connect:type=source-task-metrics,connector=a,task=0', 'source-record-poll-total', 7)]).map((x) => x.value)).toEqual([
      7,
    ]);
  });

  it('refuses java.util.regex constructs JavaScript would read differently, and options it does not emulate', () => {
    expect(() => run([{ pattern: '(?i)status', name: 'x' }], [STATUS])).toThrow(/inline flags/);
    expect(() => run([{ pattern: 'status: [a-z]++', name: 'x' }], [STATUS])).toThrow(/possessive/);
    expect(() => emulateExporter({ rules: [{ pattern: '.*' } as ExporterRule] }, [STATUS])).toThrow(/default export format/);
  });
});
