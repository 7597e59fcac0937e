import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/bundle.js';
import { MANIFEST_PATH, sha256 } from '../../src/io/manifest.js';
import { planWrite } from '../../src/io/output.js';
import { loadModel } from '../../src/model/load.js';
import { runCli, snapshot, tempDirs } from '../cli/helpers.js';

/**
 * What a build may touch in its output directory: the files listed in its manifest that
 * still hold the bytes it wrote, and nothing else.
 */

const tempDir = tempDirs('mm2-own-');
const cli = (...argv: string[]) => runCli([...argv, '--no-external']);

const ALERTS = 'alerts/mm2-alerts.rules.yaml';
/** How many files a build of the defaults writes (the manifest aside). */
const GENERATED = buildBundle(loadModel()).size;
const CHANGED_THRESHOLD = 'thresholds:\n  replicationLatencyAvg:\n    critical: { threshold: 2000 }\n';

function manifestOf(out: string): { files: Record<string, string>; pending?: Record<string, string> } {
  return JSON.parse(readFileSync(join(out, MANIFEST_PATH), 'utf8'));
}

describe('the manifest', () => {
  it('lists every generated file with the SHA-256 of its bytes, and nothing else', () => {
    const out = tempDir();
    expect(cli('build', '--out', out).code).toBe(0);
    const files = snapshot(out);
    const manifest = manifestOf(out);
    const generated = [...files.keys()].filter((p) => p !== MANIFEST_PATH);
    expect(Object.keys(manifest.files).sort()).toEqual(generated);
    for (const p of generated) expect(manifest.files[p], p).toBe(sha256(files.get(p)!));
    expect(manifest.pending).toBeUndefined();
  });
});

describe('files the bundle did not write', () => {
  it('are kept, beside the generated ones, through builds that change the outputs', () => {
    const out = tempDir();
    mkdirSync(join(out, 'alerts'));
    mkdirSync(join(out, 'dashboards'));
    writeFileSync(join(out, 'alerts', 'team.rules.yaml'), 'groups: []\n');
    writeFileSync(join(out, 'dashboards', 'team-overview.json'), '{}\n');
    writeFileSync(join(out, 'README.team'), 'ours\n');
    expect(cli('build', '--out', out).code).toBe(0);
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, CHANGED_THRESHOLD);
    const r = cli('build', '--config', config, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(out, 'alerts', 'team.rules.yaml'), 'utf8')).toBe('groups: []\n');
    expect(readFileSync(join(out, 'dashboards', 'team-overview.json'), 'utf8')).toBe('{}\n');
    expect(readFileSync(join(out, 'README.team'), 'utf8')).toBe('ours\n');
    expect(readFileSync(join(out, ALERTS), 'utf8')).toMatch(/>= 2000\b/);
  });

  it('are never overwritten: the build names them, exits 2 and writes nothing', () => {
    const out = tempDir();
    mkdirSync(join(out, 'alerts'));
    writeFileSync(join(out, ALERTS), "groups: [] # the team's own rules, under the name the bundle uses\n");
    const before = snapshot(out);
    const r = cli('build', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(out, ALERTS)}: was not written by mm2-monitoring (it is not in ${MANIFEST_PATH})`);
    expect(r.err).toMatch(/nothing was written.*--force/);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(out)).toEqual(['alerts']);
  });

  it('are overwritten with --force, and owned from then on', () => {
    const out = tempDir();
    mkdirSync(join(out, 'alerts'));
    writeFileSync(join(out, ALERTS), 'groups: []\n');
    const r = cli('build', '--out', out, '--force');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`--force: taking over ${join(out, ALERTS)}, which was not written by mm2-monitoring`);
    expect(readFileSync(join(out, ALERTS), 'utf8')).toContain('alert: ');
    expect(cli('build', '--out', out).code).toBe(0);
  });

  it('are adopted without --force when they already hold exactly what the build writes', () => {
    const out = tempDir();
    expect(cli('build', '--out', out).code).toBe(0);
    rmSync(join(out, MANIFEST_PATH));
    const r = cli('build', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`0 written, ${GENERATED} unchanged`));
    expect(existsSync(join(out, MANIFEST_PATH))).toBe(true);
  });
});

describe('files the bundle wrote', () => {
  it('are refused when edited since (exit 2), and replaced with --force', () => {
    const out = tempDir();
    cli('build', '--out', out);
    writeFileSync(join(out, ALERTS), `${readFileSync(join(out, ALERTS), 'utf8')}# a local tweak\n`);
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, CHANGED_THRESHOLD);
    const before = snapshot(out);
    const r = cli('build', '--config', config, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(out, ALERTS)}: was edited after mm2-monitoring wrote it`);
    expect(snapshot(out)).toEqual(before);
    expect(cli('build', '--config', config, '--out', out, '--force').code).toBe(0);
    expect(readFileSync(join(out, ALERTS), 'utf8')).not.toContain('# a local tweak');
  });

  it('are removed when no longer generated; an edited one is refused instead', () => {
    // An earlier version generated alerts/old.rules.yaml: its manifest lists it.
    const out = tempDir();
    cli('build', '--out', out);
    const old = 'groups: []\n';
    writeFileSync(join(out, 'alerts', 'old.rules.yaml'), old);
    const manifest = manifestOf(out);
    manifest.files['alerts/old.rules.yaml'] = sha256(old);
    writeFileSync(join(out, MANIFEST_PATH), JSON.stringify(manifest));

    writeFileSync(join(out, 'alerts', 'old.rules.yaml'), 'groups: [] # edited\n');
    const refused = cli('build', '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('alerts/old.rules.yaml: is no longer generated, and was edited after mm2-monitoring wrote it');
    expect(existsSync(join(out, 'alerts', 'old.rules.yaml'))).toBe(true);

    writeFileSync(join(out, 'alerts', 'old.rules.yaml'), old);
    const r = cli('build', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1 removed/);
    expect(existsSync(join(out, 'alerts', 'old.rules.yaml'))).toBe(false);
    expect(Object.keys(manifestOf(out).files)).not.toContain('alerts/old.rules.yaml');
  });

  it('keep their permissions when replaced', () => {
    const out = tempDir();
    cli('build', '--out', out);
    chmodSync(join(out, ALERTS), 0o640);
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, CHANGED_THRESHOLD);
    expect(cli('build', '--config', config, '--out', out).code).toBe(0);
    expect(statSync(join(out, ALERTS)).mode & 0o777).toBe(0o640);
  });
});

describe('writing', () => {
  it('never replaces the directories, and leaves no temporary file', () => {
    const out = tempDir();
    cli('build', '--out', out);
    const inodes = ['.', 'alerts', 'dashboards', 'scrape'].map((d) => statSync(join(out, d)).ino);
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, CHANGED_THRESHOLD);
    expect(cli('build', '--config', config, '--out', out).code).toBe(0);
    expect(['.', 'alerts', 'dashboards', 'scrape'].map((d) => statSync(join(out, d)).ino)).toEqual(inodes);
    expect([...snapshot(out).keys()].filter((p) => p.includes('mm2-tmp'))).toEqual([]);
  });

  it('leaves everything as it was when a file cannot be written', () => {
    const out = tempDir();
    cli('build', '--out', out);
    const before = snapshot(out);
    // Something in the way of one temporary file (a directory under its name) makes its
    // write fail after others were written.
    const blocker = join(out, 'alerts', `.mm2-slo.rules.yaml.mm2-tmp-${process.pid}`);
    mkdirSync(blocker);
    writeFileSync(join(blocker, 'keep'), '');
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, CHANGED_THRESHOLD);
    const r = cli('build', '--config', config, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write the bundle there/);
    rmSync(blocker, { recursive: true });
    expect(snapshot(out)).toEqual(before);
  });

  it('recognises its own files after a build interrupted half way, and finishes the job', () => {
    const out = tempDir();
    cli('build', '--out', out);
    // Interrupt a build with a changed threshold right after it swapped in the alert rules:
    // the manifest it writes first ("pending"), one new file, the rest still old.
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, CHANGED_THRESHOLD);
    const changed = loadModel({ thresholds: { replicationLatencyAvg: { critical: { threshold: 2000 } } } }, config);
    const bundle = buildBundle(changed);
    const plan = planWrite(bundle, changed, { path: out, shown: out }, { force: false });
    expect(plan.writes.map((w) => w.path)).toContain(ALERTS);
    writeFileSync(join(out, MANIFEST_PATH), plan.manifest.during);
    writeFileSync(join(out, ALERTS), bundle.get(ALERTS)!);
    // The next build, of the original model, owns both the old and the new bytes.
    const r = cli('build', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(cli('check', '--out', out).code).toBe(0);
    expect(manifestOf(out).pending).toBeUndefined();
  });

  it('removes temporary files left by a killed build', () => {
    const out = tempDir();
    cli('build', '--out', out);
    // pid 2^22 + 1 is above Linux's pid_max ceiling: no process has it.
    const leftover = join(out, 'dashboards', '.mm2-replication.json.mm2-tmp-4194305');
    writeFileSync(leftover, '{"half": ');
    const config = join(tempDir(), 'env.yaml');
    writeFileSync(config, CHANGED_THRESHOLD);
    expect(cli('build', '--config', config, '--out', out).code).toBe(0);
    expect(existsSync(leftover)).toBe(false);
  });
});

describe('a manifest that is not one', () => {
  it('stops the build with exit 2, naming it; --force rebuilds it', () => {
    const out = tempDir();
    cli('build', '--out', out);
    writeFileSync(join(out, MANIFEST_PATH), '{"files": {"../../etc/passwd": "sha256:00"}}');
    const r = cli('build', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(out, MANIFEST_PATH)}: files`);
    expect(r.err).toContain('restore it from version control, or pass --force');
    expect(cli('build', '--out', out, '--force').code).toBe(0);
    expect(Object.keys(manifestOf(out).files)).toHaveLength(GENERATED);
  });
});
