import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Bundle } from '../bundle/bundle.js';
import { isRuleFile } from '../documents/paths.js';
import { findPint, PINT_VERSION, runPint } from './pint.js';
import type { BundleProblem } from './problem.js';

export const EXTERNAL_TOOLS = ['promtool', 'amtool'] as const;

// Asked once per PATH: build asks before validating (to say which check it skips) and again while validating.
const installed = new Map<string, boolean>();
export function toolInstalled(tool: string): boolean {
  const key = `${tool}\0${process.env.PATH ?? ''}`;
  if (!installed.has(key)) installed.set(key, spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);
  return installed.get(key)!;
}

/**
 * pint on the rule files, offline, with the committed .pint.hcl. Optional on a workstation (it
 * is a Go tool, not an npm dependency); in CI (CI=true) a missing pint is a failure, so the
 * checks it replaces can never silently stop running.
 */
function pintProblems(dir: string, ruleFiles: readonly string[]): BundleProblem[] {
  if (ruleFiles.length === 0) return [];
  const binary = findPint();
  if (!binary) {
    if (process.env.CI !== 'true') return [];
    return [
      {
        file: ruleFiles.join(', '),
        check: 'pint',
        severity: 'bug',
        message: `pint ${PINT_VERSION} is not installed: bash .ci/setup installs it (a Go build of the pinned module)`,
      },
    ];
  }
  return runPint({ cwd: dir, files: ruleFiles, binary });
}

/**
 * The authoritative checks, by Prometheus' and Alertmanager's own tools, run on a copy of
 * the bundle in a temporary directory. A tool that is not installed is reported (`check`),
 * or skipped when `skipMissing` (`build`, which says so in its output).
 */
export function runExternalValidations(bundle: Bundle, opts: { skipMissing?: boolean } = {}): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mm2-check-'));
  try {
    for (const [path, content] of bundle) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const ruleFiles = [...bundle.keys()].filter(isRuleFile);
    const checks: { tool: string; args: string[]; files: string[] }[] = [
      { tool: 'promtool', args: ['check', 'rules'], files: ruleFiles },
      { tool: 'amtool', args: ['check-config'], files: [...bundle.keys()].filter((p) => p === 'alerts/alertmanager.yaml') },
    ];
    for (const c of checks) {
      if (c.files.length === 0) continue;
      if (!toolInstalled(c.tool)) {
        if (opts.skipMissing) continue;
        problems.push({
          file: c.files.join(', '),
          message: `${c.tool} is not installed: install Debian's prometheus and prometheus-alertmanager, or pass --no-external`,
        });
        continue;
      }
      // One process for all the files (each spawn costs more than the check); file by file only to say which failed.
      const all = spawnSync(c.tool, [...c.args, ...c.files.map((f) => join(dir, f))], { encoding: 'utf8' });
      if (all.status === 0) continue;
      for (const f of c.files) {
        const r = spawnSync(c.tool, [...c.args, join(dir, f)], { encoding: 'utf8' });
        if (r.status !== 0) problems.push({ file: f, message: `${c.tool} ${c.args.join(' ')} failed:\n${(r.stdout + r.stderr).trim()}` });
      }
      if (!problems.some((p) => c.files.includes(p.file)))
        problems.push({ file: c.files.join(', '), message: `${c.tool} ${c.args.join(' ')} failed:\n${(all.stdout + all.stderr).trim()}` });
    }
    problems.push(...pintProblems(dir, ruleFiles));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}
