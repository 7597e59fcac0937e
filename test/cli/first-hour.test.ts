import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from './helpers.js';

/**
 * The first hour of a new user, from a clone of the repository: the README's first command, the
 * CLI it recommends (`npx mm2-monitoring`), the fix command `check` prints for drift, and the
 * test command on a machine that lacks the tools.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tempDir = tempDirs('mm2-first-hour-');

/** A clone of the working tree (its tracked and new files, not the recorded fixtures), with this checkout's node_modules standing in for `npm ci`. */
function cloneOfTree(): string {
  const dir = tempDir();
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && !f.startsWith('test/fixtures/'));
  for (const f of files) {
    try {
      cpSync(join(ROOT, f), join(dir, f));
    } catch {
      // a file deleted in the working tree but not yet in the index
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

describe('from a fresh clone', () => {
  it('`npx mm2-monitoring` works after the README first command, and the fix command `check` prints for drift runs from where the user is', () => {
    const clone = cloneOfTree();
    const sh = (cmd: string, cwd: string) =>
      spawnSync('sh', ['-c', cmd], { cwd, encoding: 'utf8', env: { ...process.env, npm_config_cache: join(clone, '.npm-cache'), npm_config_offline: 'true' } });
    // The README's first command, less `npm ci` (the clone shares this checkout's node_modules): no dist/ is compiled.
    const built = sh('npm run -s build -- --no-external', clone);
    expect(built.status, built.stderr).toBe(0);
    const version = sh('npx mm2-monitoring --version', clone);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);

    // A user working in a directory of their own inside the clone, with relative paths.
    const work = join(clone, 'envs');
    mkdirSync(work);
    expect(sh('npx mm2-monitoring init env.yaml', work).status).toBe(0);
    appendFileSync(join(work, 'env.yaml'), 'prometheus:\n  job: mm2-paris\n');
    expect(sh('npx mm2-monitoring build --no-external --config env.yaml --out ../bundle', work).status).toBe(0);
    // The team changes a threshold: the committed bundle is now out of date.
    appendFileSync(join(work, 'env.yaml'), 'thresholds:\n  replicationLatencyAvg:\n    critical: { threshold: 2000, for: 3m }\n');
    const drift = sh('npx mm2-monitoring check --no-external --config env.yaml --out ../bundle', work);
    expect(drift.status).toBe(1);
    const fix = /are out of date: run "([^"]+)"/.exec(drift.stderr)?.[1];
    expect(fix).toBe('npx mm2-monitoring build --config env.yaml --out ../bundle');
    const rebuilt = sh(`${fix} --no-external`, work);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    const clean = sh('npx mm2-monitoring check --no-external --config env.yaml --out ../bundle', work);
    expect(clean.status, clean.stderr).toBe(0);
  });

  it('the README test command stops at once on a machine without the tools, naming the one command that installs them', () => {
    const bare = tempDir();
    symlinkSync(process.execPath, join(bare, 'node'));
    const started = Date.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'test/preflight.ts')], {
      encoding: 'utf8',
      env: { PATH: bare, HOME: bare },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/The tests need promtool, amtool, prometheus, prometheus-alertmanager, pint v[0-9.]+, java \(JDK 17\)/);
    expect(r.stderr).toContain('\n  bash .ci/setup\n');
    expect(Date.now() - started).toBeLessThan(20_000);
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['test']).toMatch(/^tsx test\/preflight\.ts && /);
  });

  it("neither the CI script nor the setup it runs stops a process it did not start (an engineer's own Prometheus keeps running)", () => {
    for (const script of ['.ci/run', '.ci/setup']) {
      const code = readFileSync(join(ROOT, script), 'utf8')
        .split('\n')
        .filter((l) => !l.trim().startsWith('#'))
        .join('\n');
      expect(code, script).not.toMatch(/\b(pkill|killall|kill)\b|\bservice\s+\S+\s+stop\b|\bsystemctl\s+(stop|kill)\b|invoke-rc\.d\s+\S+\s+stop/);
    }
  });
});
