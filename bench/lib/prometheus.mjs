// A real Prometheus server on 127.0.0.1, for the end-to-end test (test/e2e/) and the benchmark:
// started on a free port with its own data directory, queried through its HTTP API, stopped
// for sure. Plain JavaScript so that the benchmark can use it without a build step.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';

/** A TCP port free on 127.0.0.1 at the time of the call. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Fails with an actionable message when a tool CI installs (Debian's prometheus package) is missing. */
export function requireTool(tool) {
  const r = spawnSync(tool, ['--version'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new Error(`${tool} is not installed: install Debian's prometheus package (apt-get install prometheus), as .ci/run does`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `prometheus` on 127.0.0.1 and resolves once /-/ready answers. Its log goes to
 * `logFile` (its tail is quoted in errors). Retries on another port if the one picked was
 * taken in between.
 *
 * @param {{ configFile: string, storageDir: string, logFile: string, args?: string[], readyTimeoutMs?: number }} opts
 */
export async function startPrometheus(opts) {
  requireTool('prometheus');
  let lastError;
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

async function startOn(port, { configFile, storageDir, logFile, args = [], readyTimeoutMs = 60_000 }) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${storageDir}`, `--web.listen-address=${HOST}:${port}`, '--log.level=warn', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  // If the test runner dies, do not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://${HOST}:${port}`;
  const server = {
    url,
    port,
    pid: child.pid,
    logFile,
    /** Stops the server (SIGTERM, then SIGKILL after 15 s). Safe to call twice. */
    async stop() {
      process.removeListener('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
      log.end();
    },
    /** GET /api/v1/<path>; resolves to `data`, rejects with Prometheus' error message. */
    async api(path, params = {}) {
      return apiGet(url, path, params);
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

export async function apiGet(url, path, params = {}) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${url}/api/v1/${path}?${qs}`);
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
  return body.data;
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
