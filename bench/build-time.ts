// `npm run build` now beside `npm run build` at an earlier commit, side by side in one run: the
// earlier tree is checked out in a temporary git worktree (sharing this checkout's node_modules)
// and the two builds alternate, so that both see the same machine load. Writes
// bench/build-time-results.json and re-renders bench/RESULTS.md.
// Run with `npx tsx bench/build-time.ts [--base=<commit>] [--runs=N]`; the default base is the
// last commit before the builders handed each other values instead of text.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type RunInfo, runInfo, writeReport } from './lib/report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Before the typed bundle: builders rendered YAML that the next stage parsed back. */
const DEFAULT_BASE = '06873fc';

export interface BuildTimeSide {
  readonly commit: string;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
}

export interface BuildTimeResults {
  readonly run: RunInfo;
  readonly before: BuildTimeSide;
  readonly now: BuildTimeSide;
  /** now / before, medians. */
  readonly ratio: number;
  /** The generated files whose bytes differ between the two builds (or that only one wrote). */
  readonly differingFiles: readonly string[];
}

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out.set(path.slice(dir.length + 1), readFileSync(path, 'utf8'));
    }
  return out;
}

function differing(a: string, b: string): string[] {
  const x = filesUnder(a);
  const y = filesUnder(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((f) => x.get(f) !== y.get(f)).sort();
}

function arg(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

function git(...argv: string[]): string {
  const r = spawnSync('git', argv, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function timeBuild(cwd: string, out: string): number {
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', '-s', 'build', '--', '--out', out], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build in ${cwd} failed:\n${r.stdout}${r.stderr}`);
  return performance.now() - t0;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function main(): void {
  const base = git('rev-parse', '--short', arg('base') ?? DEFAULT_BASE);
  const head = git('rev-parse', '--short', 'HEAD');
  const runs = Number(arg('runs') ?? 7);
  const work = mkdtempSync(join(tmpdir(), 'mm2-build-time-'));
  const tree = join(work, 'before');
  git('worktree', 'add', '--detach', tree, base);
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
    const before: number[] = [];
    const now: number[] = [];
    // One warm-up each (module cache, tsx's transform cache), then alternate.
    timeBuild(tree, join(work, 'out-before'));
    timeBuild(ROOT, join(work, 'out-now'));
    for (let i = 0; i < runs; i++) {
      before.push(timeBuild(tree, join(work, 'out-before')));
      now.push(timeBuild(ROOT, join(work, 'out-now')));
      console.log(`run ${i + 1}/${runs}: before ${Math.round(before.at(-1)!)} ms, now ${Math.round(now.at(-1)!)} ms`);
    }
    const side = (commit: string, xs: number[]): BuildTimeSide => ({ commit, runsMs: xs.map(Math.round), medianMs: Math.round(median(xs)) });
    const results: BuildTimeResults = {
      run: runInfo('bench/build-time.ts'),
      before: side(base, before),
      now: side(head, now),
      ratio: median(now) / median(before),
      differingFiles: differing(join(work, 'out-before'), join(work, 'out-now')),
    };
    writeFileSync(join(ROOT, 'bench', 'build-time-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeReport();
    console.log(`files that differ: ${results.differingFiles.join(', ') || 'none'}`);
    console.log(`median: before (${base}) ${results.before.medianMs} ms, now (${head}) ${results.now.medianMs} ms, ratio ${results.ratio.toFixed(2)}`);
  } finally {
    git('worktree', 'remove', '--force', tree);
    rmSync(work, { recursive: true, force: true });
  }
}

main();
