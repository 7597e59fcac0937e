import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { tail } from '../../bench/lib/prometheus.js';

/** Debian's Alertmanager on 127.0.0.1:port (the port the model's `alertmanagers` names), clustering off. */
export interface AlertmanagerServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const BINARY = 'prometheus-alertmanager';

export async function startAlertmanager(port: number, configFile: string, storageDir: string, logFile: string): Promise<AlertmanagerServer> {
  const probe = spawnSync(BINARY, ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new Error(`${BINARY} is not installed: apt-get install prometheus-alertmanager, as .ci/run does`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    BINARY,
    [`--config.file=${configFile}`, `--storage.path=${storageDir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const server: AlertmanagerServer = {
    url,
    port,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`alertmanager exited before it was ready:\n${tail(logFile)}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`alertmanager was not ready after 30 s:\n${tail(logFile)}`);
}
