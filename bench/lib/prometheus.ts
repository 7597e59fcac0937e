// A real Prometheus server on 127.0.0.1, for the end-to-end test (test/e2e/) and the benchmark:
// started on a free port with its own data directory, queried through its HTTP API, stopped
// for sure.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';

export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly logFile: string;
  /** Stops the server (SIGTERM, then SIGKILL after 15 s). Safe to call twice. */
  stop(): Promise<void>;
  /** GET /api/v1/<path>; resolves to `data`, rejects with Prometheus' error message. */
  api<T = unknown>(path: string, params?: ApiParams): Promise<T>;
}

export type ApiParams = Readonly<Record<string, string | number>>;

export interface PrometheusOptions {
  readonly configFile: string;
  readonly storageDir: string;
  readonly logFile: string;
  readonly args?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/** A TCP port free on 127.0.0.1 at the time of the call. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const address = srv.address();
      if (address === null || typeof address === 'string') {
        srv.close(() => reject(new Error(`no TCP port bound on ${HOST}`)));
        return;
      }
      srv.close(() => resolve(address.port));
    });
  });
}

/** Fails with an actionable message when a tool CI installs (Debian's prometheus package) is missing. */
export function requireTool(tool: string): void {
  const r = spawnSync(tool, ['--version'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new Error(`${tool} is not installed: install Debian's prometheus package (apt-get install prometheus), as .ci/run does`);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Starts `prometheus` on 127.0.0.1 and resolves once /-/ready answers. Its log goes to
 * `logFile` (its tail is quoted in errors). Retries on another port if the one picked was
 * taken in between.
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  requireTool('prometheus');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, opts);
    } catch (e) {
      lastError = e;
      if (!String(e).includes('address already in use')) throw e;
    }
  }
  throw lastError;
}

async function startOn(port: number, { configFile, storageDir, logFile, args = [], readyTimeoutMs = 60_000 }: PrometheusOptions): Promise<PrometheusServer> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${storageDir}`, `--web.listen-address=${HOST}:${port}`, '--log.level=warn', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  // If the test runner dies, do not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://${HOST}:${port}`;
  const server: PrometheusServer = {
    url,
    port,
    pid: child.pid,
    logFile,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
      log.end();
    },
    async api<T = unknown>(path: string, params: ApiParams = {}): Promise<T> {
      return apiGet<T>(url, path, params);
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      await sleep(100);
      throw new Error(`prometheus exited (${JSON.stringify(exited)}) before it was ready:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`prometheus was not ready after ${readyTimeoutMs} ms:\n${tail(logFile)}`);
}

/** The envelope of every Prometheus HTTP API answer. */
interface ApiBody {
  readonly status?: unknown;
  readonly data?: unknown;
  readonly errorType?: unknown;
  readonly error?: unknown;
}

/**
 * GET /api/v1/<path> of the Prometheus at `url`; resolves to `data` as the caller's type `T`
 * (Prometheus' documented shape for that endpoint), rejects with Prometheus' error message.
 */
export async function apiGet<T = unknown>(url: string, path: string, params: ApiParams = {}): Promise<T> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${url}/api/v1/${path}?${qs}`);
  const body = (await res.json()) as ApiBody;
  if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${String(body.errorType)}: ${String(body.error)}`);
  return body.data as T;
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
