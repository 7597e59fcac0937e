import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort, requireTool } from '../../bench/lib/prometheus.js';
import { type CompiledCli, compileCli } from './compiled-cli.js';

/**
 * Rebuilding next to live readers, as the README installs the bundle: Prometheus reading
 * alerts/ through a bind mount (Docker's `./alerts:/etc/prometheus/rules/mm2:ro`) and
 * reloading while a build runs; Grafana polling dashboards/ for *.json files. The builds run
 * as separate processes (the real CLI), so the readers keep reading while files are swapped.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The override a team would keep: only the threshold changes between the two versions. */
function override(dir: string, exporterPort: number, latencyCritical: number): string {
  return stringify({
    // No Alertmanager: the default target is a host name, and nothing may leave loopback.
    prometheus: {
      ruleFilesDir: join(dir, 'mnt', 'rules'),
      evaluationInterval: '1s',
      scrapeInterval: '5s',
      scrapeTimeout: '5s',
      rateWindow: '20s',
      alertmanagers: [],
    },
    // Nothing listens there: the scrape fails on loopback, the rules load and evaluate all the same.
    workers: [{ host: '127.0.0.1', port: exporterPort }],
    thresholds: { replicationLatencyAvg: { critical: { threshold: latencyCritical } } },
  });
}

interface RulesAnswer {
  groups: { rules: { name: string; type: string; query: string; labels?: Record<string, string> }[] }[];
}

let cli: CompiledCli;
let dir: string;
let out: string;
let v1: string;
let v2: string;

beforeAll(async () => {
  cli = compileCli();
  dir = mkdtempSync(join(tmpdir(), 'mm2-live-'));
  // The bundle is built through a symlinked path, as a team's checkout often is.
  mkdirSync(join(dir, 'real-bundle'));
  out = join(dir, 'bundle');
  symlinkSync(join(dir, 'real-bundle'), out);
  const port = await freePort();
  v1 = join(dir, 'env-v1.yaml');
  v2 = join(dir, 'env-v2.yaml');
  writeFileSync(v1, override(dir, port, 1000));
  writeFileSync(v2, override(dir, port, 2000));
  const first = await cli.run(['build', '--no-external', '--config', v1, '--out', out]);
  expect(first.code, first.err).toBe(0);
});

afterAll(() => {
  cli?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Prometheus in a mount namespace of its own where out/alerts is bind-mounted at the model's
 * ruleFilesDir: a bind mount holds the directory's inode, which is what made a rebuild that
 * swapped directories leave Prometheus on a deleted, empty directory.
 */
async function startPrometheusOnBindMount(): Promise<{ url: string; stop: () => Promise<void>; log: string }> {
  requireTool('prometheus');
  requireTool('unshare');
  const mnt = join(dir, 'mnt', 'rules');
  mkdirSync(mnt, { recursive: true });
  const port = await freePort();
  const log = join(dir, 'prometheus.log');
  const script = 'mount --bind "$1" "$2" && shift 2 && exec prometheus "$@"';
  const child: ChildProcess = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'sh',
      join(out, 'alerts'),
      mnt,
      `--config.file=${join(out, 'scrape', 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logStream = createWriteStream(log);
  child.stdout!.pipe(logStream);
  child.stderr!.pipe(logStream);
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await exit;
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`prometheus (under unshare, with a bind mount) exited before it was ready:\n${readFileSync(log, 'utf8')}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, stop, log };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`prometheus was not ready after 60 s:\n${readFileSync(log, 'utf8')}`);
}

describe('a rebuild while Prometheus reloads its rules from a bind-mounted alerts/', () => {
  it('serves the new threshold after reload, and the rule count never drops during the rebuilds', async () => {
    const prometheus = await startPrometheusOnBindMount();
    try {
      const rulesNow = async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: RulesAnswer };
        return body.data.groups.flatMap((g) => g.rules);
      };
      const latencyCritical = async () =>
        (await rulesNow()).find((r) => r.type === 'alerting' && r.labels?.['signal'] === 'replicationLatencyAvg' && r.labels['severity'] === 'critical')?.query;
      const initial = await rulesNow();
      expect(initial.length).toBeGreaterThan(0);
      expect(await latencyCritical()).toMatch(/>=\s*1000\b/);

      // Readers that never stop while the builds run: every reload must succeed and every
      // answer must hold all the rules.
      const counts: number[] = [];
      const reloads: number[] = [];
      let running = true;
      const poll = (async () => {
        while (running) {
          counts.push((await rulesNow()).length);
          await sleep(10);
        }
      })();
      const reload = (async () => {
        while (running) {
          reloads.push((await fetch(`${prometheus.url}/-/reload`, { method: 'POST' })).status);
          await sleep(50);
        }
      })();
      for (const config of [v2, v1, v2, v1, v2]) {
        const r = await cli.run(['build', '--no-external', '--config', config, '--out', out]);
        expect(r.code, r.err).toBe(0);
      }
      running = false;
      await Promise.all([poll, reload]);

      expect(reloads.length).toBeGreaterThan(5);
      expect(
        reloads.filter((s) => s !== 200),
        `reload answers: ${reloads.join(',')}; log:\n${readFileSync(prometheus.log, 'utf8')}`,
      ).toEqual([]);
      expect(counts.length).toBeGreaterThan(10);
      expect(Math.min(...counts), `rule counts seen: ${[...new Set(counts)].join(', ')}`).toBe(initial.length);

      expect((await fetch(`${prometheus.url}/-/reload`, { method: 'POST' })).status).toBe(200);
      expect(await latencyCritical()).toMatch(/>=\s*2000\b/);
      expect((await rulesNow()).length).toBe(initial.length);
    } finally {
      await prometheus.stop();
    }
  });
});

describe('a rebuild while a Grafana-style reader polls dashboards/', () => {
  it('keeps the directory (same inode) and replaces each file whole', async () => {
    const dashboards = join(out, 'dashboards');
    const inode = statSync(dashboards).ino;
    const seen = { reads: 0, torn: [] as string[], inodes: new Set<number>(), versions: new Set<string>(), missing: 0 };
    let running = true;
    // Grafana's file provider lists the folder, reads every *.json and parses it.
    const reader = (async () => {
      while (running) {
        seen.inodes.add((await stat(dashboards)).ino);
        const names = (await readdir(dashboards)).filter((n) => n.endsWith('.json'));
        if (names.length < 2) seen.missing++;
        for (const name of names) {
          const text = await readFile(join(dashboards, name), 'utf8');
          seen.reads++;
          try {
            const json = JSON.parse(text) as object;
            if (name === 'mm2-replication.json') seen.versions.add(/"value": 2000\b/.test(JSON.stringify(json, null, 1)) ? 'v2' : 'v1');
          } catch {
            seen.torn.push(`${name} (${text.length} bytes)`);
          }
        }
      }
    })();
    for (const config of [v1, v2, v1, v2]) {
      const r = await cli.run(['build', '--no-external', '--config', config, '--out', out]);
      expect(r.code, r.err).toBe(0);
      await sleep(20);
    }
    running = false;
    await reader;
    expect(seen.reads).toBeGreaterThan(20);
    expect(seen.torn).toEqual([]);
    expect(seen.missing).toBe(0);
    expect([...seen.inodes]).toEqual([inode]);
    expect(statSync(dashboards).ino).toBe(inode);
    // The reader did see the files change under it, both ways.
    expect([...seen.versions].sort()).toEqual(['v1', 'v2']);
  });
});
