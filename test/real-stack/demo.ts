import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealStack } from './stack.js';

/**
 * `npm run demo`: the real-stack suite's MM2 (Kafka 3.7.2 `nemo` -> `applicatif`, three Connect
 * workers with the JMX exporter agent, the three connectors, traffic) with Prometheus and
 * Alertmanager running the generated bundle, left running for a Grafana to point at.
 * Everything listens on 127.0.0.1. Ctrl-C stops it all and removes its temporary directory.
 */
const dir = mkdtempSync(join(tmpdir(), 'mm2-demo-'));
const removeDir = () => {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (e) {
    console.error(`could not remove ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
};
// Whatever ends the process (an error while starting, an exception), the directory goes too.
process.on('exit', removeDir);
const stack = await RealStack.create({ version: '3.7.2', workers: 3, dir, monitoring: true });
let stopping: Promise<void> | undefined;
function stop(code: number): void {
  // Ctrl-C reaches every process of the terminal's group: the JVMs may already be gone, and
  // stopping one that is can fail; the directory is removed all the same.
  stopping ??= (async () => {
    console.log('\nstopping the stack...');
    try {
      await stack.stop();
    } catch (e) {
      console.error(`while stopping: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      removeDir();
    }
  })();
  void stopping.finally(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  console.log(`starting Kafka (nemo, applicatif) in ${dir} ...`);
  await stack.startKafka();
  stack.startTraffic();
  console.log('starting 3 Connect workers with the JMX exporter agent ...');
  await stack.startWorkers();
  await stack.deployConnectors();
  await stack.waitAllRunning(240_000);
  await stack.startMonitoring();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  stop(1);
  await new Promise(() => undefined);
}

console.log(`
MirrorMaker 2 is replicating nemo -> applicatif, monitored by the generated bundle:
  Prometheus    ${stack.prometheus!.url}   (Grafana data source: this URL)
  Alertmanager  ${stack.alertmanager!.url}
  Connect REST  ${stack.workers.map((w) => w.restUrl).join('  ')}
  JMX exporter  ${stack.workers.map((w) => w.metricsUrl).join('  ')}
  Kafka         nemo ${stack.source.bootstrap}, applicatif ${stack.target.bootstrap}
Dashboards: provision dashboards/ into a Grafana and select the Prometheus data source above.
Alert notifications are received (and counted) on 127.0.0.1:${stack.webhook!.port}.
Ctrl-C stops everything.`);
setInterval(() => {
  const n = stack.webhook!.notifications.length;
  if (n > 0) console.log(`${n} notification(s) received so far`);
}, 300_000);
