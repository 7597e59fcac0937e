import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Bundle, buildBundle } from '../../../src/bundle/bundle.js';
import { RULE_FILE_GLOBS, SCRAPE_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import type { Model } from '../../../src/model/model.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mm2-scrape-'));
  dirs.push(d);
  return d;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Installs the bundle where the model says Prometheus finds it: rule files, file_sd list, the configs. */
function install(model: Model, bundle: Bundle, dir: string): void {
  for (const [path, content] of bundle) {
    write(join(dir, path), content);
    if (path.startsWith('alerts/') && /\.ya?ml$/.test(path) && parse(content)?.groups) write(join(model.prometheus.ruleFilesDir, basename(path)), content);
  }
  write(model.prometheus.fileSdPath, bundle.get(SCRAPE_FILES.fileSdTargets)!);
}

/** The real promtool, with file and rule-file validation (no --syntax-only). Fails when promtool is missing. */
function checkConfig(file: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
  if (r.error) throw new Error(`promtool is needed (apt-get install prometheus): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function modelIn(dir: string, override: Record<string, unknown> = {}): Model {
  return loadModel({
    ...override,
    prometheus: { ruleFilesDir: join(dir, 'rules'), fileSdPath: join(dir, 'file_sd', 'mm2-connect.json'), ...(override.prometheus as object) },
  });
}

function ruleFilesOf(bundle: Bundle): string[] {
  return [...bundle].filter(([path, content]) => path.startsWith('alerts/') && /\.ya?ml$/.test(path) && parse(content)?.groups).map(([p]) => basename(p));
}

describe('the generated Prometheus configuration', () => {
  it('passes promtool check config, loading every rule file of alerts/ and the file_sd target list', () => {
    const dir = tempDir();
    const model = modelIn(dir);
    const bundle = buildBundle(model);
    install(model, bundle, dir);
    const full = checkConfig(join(dir, SCRAPE_FILES.prometheus));
    expect(full.status, full.output).toBe(0);
    const rules = ruleFilesOf(bundle);
    expect(rules.length).toBeGreaterThan(0);
    expect(full.output).toContain(`SUCCESS: ${rules.length} rule files found`);
    const fileSd = checkConfig(join(dir, SCRAPE_FILES.fileSdJob));
    expect(fileSd.status, fileSd.output).toBe(0);
    expect(fileSd.output).not.toContain('WARNING');
  });

  it('fails promtool when the file_sd list is not what Prometheus reads (the check is real)', () => {
    const dir = tempDir();
    const model = modelIn(dir);
    install(model, buildBundle(model), dir);
    write(model.prometheus.fileSdPath, JSON.stringify([{ targets: ['w:7072'], notice: 'unknown key' }]));
    expect(checkConfig(join(dir, SCRAPE_FILES.fileSdJob)).status).not.toBe(0);
  });

  it('passes with TLS and basic auth, referencing files only', () => {
    const dir = tempDir();
    const secrets = join(dir, 'secrets');
    for (const f of ['ca.pem', 'client.pem', 'client.key', 'password']) write(join(secrets, f), 'placeholder\n');
    const model = modelIn(dir, {
      prometheus: {
        tls: { caFile: join(secrets, 'ca.pem'), certFile: join(secrets, 'client.pem'), keyFile: join(secrets, 'client.key'), serverName: 'connect' },
        basicAuth: { username: 'prometheus', passwordFile: join(secrets, 'password') },
      },
      exporter: {
        basicAuth: { username: 'prometheus', algorithm: 'SHA-256', passwordHash: '2bf7ed49', salt: 'pepper' },
        tls: { keyStoreFile: '/etc/kafka-connect/exporter.p12', keyStorePasswordEnv: 'EXPORTER_KEYSTORE_PASSWORD' },
      },
    });
    const bundle = buildBundle(model);
    install(model, bundle, dir);
    const r = checkConfig(join(dir, SCRAPE_FILES.prometheus));
    expect(r.status, r.output).toBe(0);
    const job = (parse(bundle.get(SCRAPE_FILES.prometheus)!) as { scrape_configs: Record<string, unknown>[] }).scrape_configs[0]!;
    expect(job.scheme).toBe('https');
    expect(job.basic_auth).toEqual({ username: 'prometheus', password_file: join(secrets, 'password') });
    expect(job.tls_config).toEqual({
      ca_file: join(secrets, 'ca.pem'),
      cert_file: join(secrets, 'client.pem'),
      key_file: join(secrets, 'client.key'),
      server_name: 'connect',
    });
  });

  it('scrapes every worker of the model on its exporter port, with the cluster label, at the model intervals', () => {
    const model = loadModel({
      workers: [{ host: 'connect-a' }, { host: 'connect-b', port: 9404 }],
      prometheus: { job: 'mm2-prod', cluster: 'paris', scrapeInterval: '30s', scrapeTimeout: '20s', rateWindow: '2m' },
    });
    const bundle = buildBundle(model);
    const job = (parse(bundle.get(SCRAPE_FILES.prometheus)!) as { scrape_configs: Record<string, unknown>[] }).scrape_configs[0]!;
    expect(job).toMatchObject({
      job_name: 'mm2-prod',
      scrape_interval: '30s',
      scrape_timeout: '20s',
      metrics_path: '/metrics',
      static_configs: [{ targets: ['connect-a:7072', 'connect-b:9404'], labels: { cluster: 'paris' } }],
    });
    const fileSd = JSON.parse(bundle.get(SCRAPE_FILES.fileSdTargets)!) as { targets: string[]; labels: Record<string, string> }[];
    expect(fileSd.map((g) => ({ targets: g.targets, cluster: g.labels.cluster }))).toEqual([
      { targets: ['connect-a:7072', 'connect-b:9404'], cluster: 'paris' },
    ]);
  });

  it('loads exactly the rule files of alerts/ through its rule_files globs', () => {
    const bundle = buildBundle(loadModel());
    const glob = (g: string) => new RegExp(`^${g.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
    const matched = [...bundle.keys()].filter((p) => p.startsWith('alerts/') && RULE_FILE_GLOBS.some((g) => glob(g).test(basename(p)))).map((p) => basename(p));
    expect(matched.sort()).toEqual(ruleFilesOf(bundle).sort());
  });
});

describe('the alerting block, without which no alert reaches Alertmanager', () => {
  it("sends alerts to the model's Alertmanagers, and has no block when there are none", () => {
    const model = loadModel({ prometheus: { alertmanagers: ['am-1.example.internal:9093', 'am-2.example.internal:9093'] } });
    const config = parse(buildBundle(model).get(SCRAPE_FILES.prometheus)!) as { alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    expect(config.alerting?.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets))).toEqual([
      'am-1.example.internal:9093',
      'am-2.example.internal:9093',
    ]);
    const none = parse(buildBundle(loadModel({ prometheus: { alertmanagers: [] } })).get(SCRAPE_FILES.prometheus)!) as { alerting?: unknown };
    expect(none.alerting).toBeUndefined();
  });
});
