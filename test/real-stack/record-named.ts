import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { heartbeatEmitterName, heartbeatEmitters } from '../../src/builders/connect/connectors.js';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { METRICS } from '../../src/metrics/names.js';
import { connectorLabel, connectorsOf, producerClientIdRegex, remoteTopicName, replicationConsumerClientIdRegex } from '../../src/model/topology.js';
import { anchoredRegex } from '../../src/promql/matcher.js';
import { type AgentRecording, compareWithEmulator, recordAgent } from './agreement.js';
import { missingFromContract } from './contract.js';
import { scrape } from './exposition-parse.js';
import { writeRecordedFixture } from './fixture.js';
import { JAVA_SOURCES, JavaProcess, type KafkaVersion, kafkaClasspath, runJava } from './java-process.js';
import { loggingFlags } from './logging.js';
import { NAMED_FLOWS_OVERRIDE, NAMED_REVERSE, REVERSE_TOPIC } from './named-flows.js';
import { RealStack, TRAFFIC } from './stack.js';

/**
 * The named-flows run (`npm run fixtures:record`, after the suite's recordings): one Connect
 * worker attached to `applicatif` with the real JMX exporter agent, running a flow each way
 * (named-flows.ts: connectors named the Strimzi way, one name holding every character JMX
 * escapes), traffic on both clusters. It checks, and exits 1 if any fails:
 * - the exporter rules produce the whole label contract from the quoted MBean names;
 * - every connector's series carry the label value the model selects on, and the producer and
 *   replication-consumer client-id regexes of each flow select that flow's series;
 * - the reverse flow's records land in nemo under applicatif.<topic>, and not in applicatif
 *   (its producers write through producer.override.bootstrap.servers);
 * - the exporter emulator serves exactly what the agent served;
 * then writes the recording to test/fixtures/real-agent/kafka-<version>-named.json, which the
 * offline tests read.
 */

const VERSION: KafkaVersion = '4.3.1';
const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'mm2-named-flows-'));
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

async function topicRecords(bootstrap: string, name: string): Promise<Map<string, number>> {
  const out = await runJava({
    name: `topic offsets of ${name}`,
    classpath: kafkaClasspath(VERSION),
    mainClass: join(JAVA_SOURCES, 'TopicOffsets.java'),
    args: [bootstrap],
    jvmArgs: ['-Xmx128m', ...loggingFlags(dir, `offsets-${name}`, 'WARN')],
    logFile: join(dir, `offsets-${name}-${Date.now()}.log`),
  });
  return new Map(
    out
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((p) => p.length === 2 && /^[0-9]+$/.test(p[1]!))
      .map(([t, n]) => [t!, Number(n)]),
  );
}

const stack = await RealStack.create({ version: VERSION, workers: 1, dir, monitoring: false, override: NAMED_FLOWS_OVERRIDE });
let reverseTraffic: JavaProcess | undefined;
try {
  const model = stack.model;
  const worker = stack.workers[0]!;
  const names = [...model.flows.flatMap(connectorsOf).map((c) => c.name), ...heartbeatEmitters(model).map(heartbeatEmitterName)];
  console.log(`Kafka ${VERSION} in ${dir}; connectors: ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  await stack.startKafka();
  stack.startTraffic();
  mkdirSync(join(dir, 'traffic-reverse'), { recursive: true });
  reverseTraffic = JavaProcess.start({
    name: 'reverse traffic',
    classpath: kafkaClasspath(VERSION),
    mainClass: join(JAVA_SOURCES, 'Traffic.java'),
    args: [stack.target.bootstrap, `${REVERSE_TOPIC.name}:${REVERSE_TOPIC.partitions}`, String(REVERSE_TOPIC.rate), REVERSE_TOPIC.group],
    jvmArgs: ['-Xmx256m', ...loggingFlags(join(dir, 'traffic-reverse'), 'traffic', 'WARN')],
    logFile: join(dir, 'traffic-reverse', 'traffic.log'),
  });
  await stack.startWorkers();
  for (const name of names) await stack.rest.putConfig(name, stack.connectorConfig({ name }));
  await stack.waitFor('every connector and its tasks RUNNING', 4 * MINUTE, async () => {
    for (const name of names) {
      const s = await stack.rest.status(name);
      if (s?.connector.state !== 'RUNNING' || s.tasks.some((t) => t.state !== 'RUNNING')) return false;
      if (s.tasks.length === 0 && !name.endsWith('MirrorCheckpointConnector')) return false;
    }
    return true;
  });
  console.log('every connector RUNNING');

  let missing: string[] = [];
  const deadline = Date.now() + 4 * MINUTE;
  do {
    missing = missingFromContract(await scrape(worker.metricsUrl), { kafka4: true });
    if (missing.length > 0) await new Promise((r) => setTimeout(r, 5000));
  } while (missing.length > 0 && Date.now() < deadline);
  check(missing.length === 0, `the whole label contract is served from the quoted MBean names${missing.length ? `: missing ${missing.join('; ')}` : ''}`);

  const served = await scrape(worker.metricsUrl);
  const status = served.filter((s) => s.name === METRICS.connectorStatus.name && s.labels['status'] === 'running');
  for (const c of model.flows.flatMap(connectorsOf)) {
    check(
      status.some((s) => s.labels['connector'] === connectorLabel(c)),
      `connector ${JSON.stringify(c.name)} is served as connector=${JSON.stringify(connectorLabel(c))}`,
    );
  }
  for (const f of model.flows) {
    const producers = anchoredRegex(producerClientIdRegex(connectorsOf(f)))!;
    const sends = served.filter((s) => s.name === METRICS.producerRecordSendTotal.name && producers.test(s.labels['client_id'] ?? ''));
    check(sends.length > 0 && sends.some((s) => s.value > 0), `flow ${f.id}: its producer client-id regex selects its producers (${sends.length} series)`);
    const others = served.filter(
      (s) =>
        s.name === METRICS.producerRecordSendTotal.name &&
        producers.test(s.labels['client_id'] ?? '') &&
        !connectorsOf(f).some((c) => (s.labels['client_id'] ?? '').includes(connectorLabel(c))),
    );
    check(others.length === 0, `flow ${f.id}: its producer client-id regex selects no other connector's producer`);
    const consumers = anchoredRegex(replicationConsumerClientIdRegex(f))!;
    const lag = served.filter((s) => s.name === METRICS.consumerRecordsLag.name && consumers.test(s.labels['client_id'] ?? ''));
    check(lag.length > 0, `flow ${f.id}: its replication-consumer client-id regex selects its consumers (${lag.length} partition series)`);
  }

  // The reverse flow's records: in nemo under applicatif.invoices, never in applicatif.
  const reverse = model.flows.find((f) => f.source === NAMED_REVERSE.source)!;
  const forward = model.flows.find((f) => f !== reverse)!;
  const remote = remoteTopicName(reverse, REVERSE_TOPIC.name);
  let inNemo = new Map<string, number>();
  let inApplicatif = new Map<string, number>();
  const landDeadline = Date.now() + 2 * MINUTE;
  do {
    [inNemo, inApplicatif] = await Promise.all([topicRecords(stack.source.bootstrap, 'nemo'), topicRecords(stack.target.bootstrap, 'applicatif')]);
    if ((inNemo.get(remote) ?? 0) === 0) await new Promise((r) => setTimeout(r, 5000));
  } while ((inNemo.get(remote) ?? 0) === 0 && Date.now() < landDeadline);
  check((inNemo.get(remote) ?? 0) > 0, `reverse flow ${reverse.id}: ${inNemo.get(remote) ?? 0} records in nemo's ${remote}`);
  check(!inApplicatif.has(remote), `reverse flow ${reverse.id}: no ${remote} topic in applicatif`);
  const forwardRemote = remoteTopicName(forward, Object.keys(TRAFFIC[forward.source]!.topics)[0]!);
  check(
    (inApplicatif.get(forwardRemote) ?? 0) > 0,
    `forward flow ${forward.id}: ${inApplicatif.get(forwardRemote) ?? 0} records in applicatif's ${forwardRemote}`,
  );
  check(!inNemo.has(forwardRemote), `forward flow ${forward.id}: no ${forwardRemote} topic in nemo`);
  check((inNemo.get('heartbeats') ?? 0) > 0, `reverse flow ${reverse.id}: its heartbeat connector writes nemo's heartbeats (${inNemo.get('heartbeats') ?? 0})`);
  console.log(`nemo: ${[...inNemo].map(([t, n]) => `${t}=${n}`).join(' ')}`);
  console.log(`applicatif: ${[...inApplicatif].map(([t, n]) => `${t}=${n}`).join(' ')}`);

  const config = parse(stack.file(SCRAPE_FILES.exporter)) as ExporterConfig;
  // A checkpoint task restarted by a change of consumer groups registers its MBeans again only
  // with its next checkpoint: the recording is taken when it holds the whole contract.
  // The agent's own JVM series are not rule output: a recording holds only what the rules serve.
  const unrecordedOf = (r: AgentRecording) => missingFromContract(r.served, { kafka4: true, mbeansOnly: true });
  let recording = await recordAgent(worker.metricsUrl, worker.jmxAddress, VERSION, config, dir);
  const recordDeadline = Date.now() + 3 * MINUTE;
  while (unrecordedOf(recording).length > 0 && Date.now() < recordDeadline) {
    await new Promise((r) => setTimeout(r, 10_000));
    recording = await recordAgent(worker.metricsUrl, worker.jmxAddress, VERSION, config, dir);
  }
  const unrecorded = unrecordedOf(recording);
  check(unrecorded.length === 0, `the recording holds the whole label contract${unrecorded.length ? `: missing ${unrecorded.join('; ')}` : ''}`);
  const disagreement = compareWithEmulator(config, recording);
  check(
    disagreement.onlyAgent.length + disagreement.onlyEmulator.length + disagreement.values.length === 0,
    `the emulator serves what the agent served${disagreement.onlyAgent.length + disagreement.onlyEmulator.length ? `: ${JSON.stringify(disagreement).slice(0, 2000)}` : ''}`,
  );
  if (failures.length === 0) {
    writeRecordedFixture(VERSION, stack.file(SCRAPE_FILES.exporter), [recording], 'named');
    console.log(`recorded ${recording.readings.length} readings, ${recording.served.length} samples`);
  }
} catch (e) {
  failures.push(e instanceof Error ? e.message : String(e));
  console.error(e);
} finally {
  await reverseTraffic?.stop(5_000);
  await stack.stop();
  if (process.env['MM2_KEEP_REAL_STACK'] === undefined) rmSync(dir, { recursive: true, force: true });
}
console.log(failures.length === 0 ? 'named flows: all checks passed' : `named flows: ${failures.length} check(s) failed`);
process.exit(failures.length === 0 ? 0 : 1);
