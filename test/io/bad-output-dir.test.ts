import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/bundle.js';
import { OUTPUT_DIRS } from '../../src/documents/document.js';
import { loadModel } from '../../src/model/load.js';
import { runCli, snapshot, tempDirs } from '../cli/helpers.js';
import { type CliResult, type CompiledCli, compileCli } from './compiled-cli.js';

/**
 * An --out the build cannot use: a clear error naming it, exit 2, nothing written, never a
 * stack trace or a hang.
 */

const tempDir = tempDirs('mm2-badout-');

/** How many files a build of the defaults writes (the manifest aside). */
const GENERATED = buildBundle(loadModel()).size;

const cli = (...argv: string[]) => runCli([...argv, '--no-external']);

function expectOneCleanError(r: { err: string }, says: RegExp): void {
  expect(r.err).toMatch(says);
  expect(r.err).not.toMatch(/^\s+at /m);
  expect(r.err.trim().split('\n')).toHaveLength(1);
}

describe('--out, in process', () => {
  it('an existing file', () => {
    const file = join(tempDir(), 'bundle');
    writeFileSync(file, 'not a directory\n');
    const r = cli('build', '--out', file);
    expect(r.code).toBe(2);
    expectOneCleanError(r, new RegExp(`--out ${file}: exists and is not a directory.*nothing was written`));
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
  });

  it('/dev/null', () => {
    const r = cli('build', '--out', '/dev/null');
    expect(r.code).toBe(2);
    expectOneCleanError(r, /--out \/dev\/null: exists and is not a directory/);
  });

  it('a path under /dev/null', () => {
    const r = cli('build', '--out', '/dev/null/bundle');
    expect(r.code).toBe(2);
    expectOneCleanError(r, /--out \/dev\/null\/bundle: .*not a directory/);
  });

  it('a path whose parent does not exist is refused, not created', () => {
    const dir = tempDir();
    const r = cli('build', '--out', join(dir, 'typo', 'bundle'));
    expect(r.code).toBe(2);
    expectOneCleanError(r, new RegExp(`its parent directory ${join(dir, 'typo')} does not exist: create it first`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a path whose parent exists is created', () => {
    const dir = tempDir();
    expect(cli('build', '--out', join(dir, 'bundle')).code).toBe(0);
    // The default bundle: every output directory but the opt-in kubernetes/.
    expect(readdirSync(join(dir, 'bundle')).sort()).toEqual(['.mm2-monitoring.json', ...OUTPUT_DIRS.filter((d) => d !== 'kubernetes')].sort());
  });

  it('an empty string', () => {
    const r = cli('build', '--out', '');
    expect(r.code).toBe(2);
    expectOneCleanError(r, /--out: expected a directory, got an empty string/);
  });
});

describe('the real process (node dist/bin.js)', () => {
  let compiled: CompiledCli;
  beforeAll(() => {
    compiled = compileCli();
  });
  afterAll(() => compiled?.dispose());

  const build = (args: string[], opts: Parameters<CompiledCli['run']>[1] = {}): Promise<CliResult> =>
    compiled.run(['build', '--no-external', ...args], { timeoutMs: 30_000, ...opts });

  it.each(['/proc/mm2', '/proc/sys/mm2', '/proc', '/sys/mm2'])('--out %s: refused at once, exit 2', async (out) => {
    const r = await build(['--out', out]);
    expect(r.timedOut, 'the build hung').toBe(false);
    expect(r.code, r.err).toBe(2);
    expectOneCleanError(r, new RegExp(`--out ${out}: is on the kernel's (proc|sysfs) file system .* cannot hold files`));
  });

  it('a bad override file: exit 2 from the process, no stack trace', async () => {
    const dir = tempDir();
    const config = join(dir, 'env.yaml');
    // Each level nine aliases of the one before: a few hundred bytes, 9^6 strings once expanded.
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, key] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ])
      levels.push(`${key}: &${key} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    writeFileSync(config, `${levels.join('\n')}\n`);
    const r = await build(['--config', config, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${config}: (file): expected at most 100 alias expansions`);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  /**
   * A read-only directory. The tests run as root, for whom permission bits do not stop a
   * write, so a chmod'ed directory would prove nothing. A read-only bind mount stops root
   * too, and is what a team meets in practice (a `:ro` volume, a read-only root file system).
   * The mount lives in a private mount namespace of the CLI process (`unshare --mount`), so
   * nothing outside the test sees it.
   */
  const readOnly = (dir: string) => ({
    prefix: [
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
      'sh',
      dir,
    ],
  });

  it('a read-only directory that is empty: exit 2 naming the error, nothing created', async () => {
    const dir = tempDir();
    const out = join(dir, 'bundle');
    mkdirSync(out);
    const r = await build(['--out', out], readOnly(out));
    expect(r.code, r.err).toBe(2);
    expectOneCleanError(r, new RegExp(`--out ${out}: cannot write the bundle there: read-only file system \\(EROFS\\).*nothing was written`));
    expect(readdirSync(out)).toEqual([]);
  });

  it('a read-only directory holding an older bundle: exit 2, the old files untouched', async () => {
    const dir = tempDir();
    const out = join(dir, 'bundle');
    mkdirSync(out);
    expect((await build(['--out', out])).code).toBe(0);
    const before = snapshot(out);
    const config = join(dir, 'env.yaml');
    writeFileSync(config, 'thresholds:\n  replicationLatencyAvg:\n    critical: { threshold: 2000 }\n');
    const r = await build(['--config', config, '--out', out], readOnly(out));
    expect(r.code, r.err).toBe(2);
    expectOneCleanError(r, /read-only file system \(EROFS\)/);
    expect(snapshot(out)).toEqual(before);
    // Up to date already, the same build has nothing to write and succeeds on the read-only mount.
    const same = await build(['--out', out], readOnly(out));
    expect(same.code, same.err).toBe(0);
    expect(same.out).toMatch(new RegExp(`0 written, ${GENERATED} unchanged, 0 removed`));
  });
});
