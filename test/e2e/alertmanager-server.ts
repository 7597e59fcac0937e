import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { freePort } from '../../bench/lib/prometheus.js';

const HOST = '127.0.0.1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An alert as Alertmanager's v2 API returns it. */
export interface AmAlert {
  readonly labels: Record<string, string>;
  readonly status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
}

export interface AlertmanagerServer {
  readonly url: string;
  /**
   * POST /api/v2/alerts: alerts as Prometheus sends them (labels only; by default started a minute
   * ago and active for an hour; `endsAt` in the past resolves them).
   */
  post(alerts: readonly Record<string, string>[], at?: { startsAt?: Date; endsAt?: Date }): Promise<void>;
  alerts(): Promise<AmAlert[]>;
  stop(): Promise<void>;
}

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1 with the given
 * configuration, gossip off. A test fails, never skips, when it cannot start.
 */
export async function startAlertmanager(opts: { configFile: string; storageDir: string; logFile: string; port?: number }): Promise<AlertmanagerServer> {
  const port = opts.port ?? (await freePort());
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  let child: ChildProcess;
  try {
    child = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${opts.configFile}`,
        `--storage.path=${opts.storageDir}`,
        `--web.listen-address=${HOST}:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (e) {
    throw new Error(`prometheus-alertmanager is needed (Debian package prometheus-alertmanager): ${String(e)}`);
  }
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited: unknown = null;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  child.once('error', (e) => {
    exited = e;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://${HOST}:${port}`;
  const server: AlertmanagerServer = {
    url,
    async post(alerts, at = {}) {
      const now = Date.now();
      const startsAt = (at.startsAt ?? new Date(now - 60_000)).toISOString();
      const endsAt = (at.endsAt ?? new Date(now + 3_600_000)).toISOString();
      const body = alerts.map((labels) => ({ labels, startsAt, endsAt }));
      const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`POST alerts: ${res.status} ${await res.text()}`);
    },
    async alerts() {
      const res = await fetch(`${url}/api/v2/alerts`);
      return (await res.json()) as AmAlert[];
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
      log.end();
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited)
      throw new Error(`prometheus-alertmanager exited (${JSON.stringify(exited)}) before it was ready:\n${readFileSync(opts.logFile, 'utf8').slice(-2000)}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`prometheus-alertmanager was not ready after 30 s:\n${readFileSync(opts.logFile, 'utf8').slice(-2000)}`);
}
