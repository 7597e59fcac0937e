import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleProblem } from './problem.js';

/** The pint release the configuration and the tests are written for; .ci/setup installs this one. */
export const PINT_VERSION = 'v0.87.0';

/** The committed pint configuration, at the package root (beside src/ and dist/). */
export const PINT_CONFIG = fileURLToPath(new URL('../../.pint.hcl', import.meta.url));

/**
 * Where pint is: $PINT, else where `go install` puts it ($GOBIN, $GOPATH/bin, ~/go/bin),
 * else on the PATH. .ci/setup installs it into $(go env GOPATH)/bin, which is often not on the PATH.
 */
export function findPint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.PINT,
    env.GOBIN && join(env.GOBIN, 'pint'),
    ...(env.GOPATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((p) => join(p, 'bin', 'pint')),
    join(homedir(), 'go', 'bin', 'pint'),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((p) => join(p, 'pint')),
  ].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p));
}

/** One finding of pint's JSON report. */
interface PintFinding {
  readonly path: string;
  readonly reporter: string;
  readonly problem: string;
  readonly details?: string;
  readonly severity: string;
  readonly lines?: readonly number[];
}

/** The rule a finding's first line belongs to, read from the file: the nearest `- alert:`/`- record:` at or above it. */
function ruleAt(content: string, line: number | undefined): string | undefined {
  if (line === undefined) return undefined;
  const lines = content.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = /^\s*-\s*(alert|record):\s*(\S+)/.exec(lines[i]!);
    if (m) return `${m[1]} ${m[2]}`;
  }
  return undefined;
}

/** pint's JSON report spells them Bug, Fatal, Warning, Information. */
function severityOf(text: string): 'bug' | 'warning' | 'info' {
  const t = text.toLowerCase();
  return t === 'warning' ? 'warning' : t.startsWith('info') ? 'info' : 'bug';
}

export interface PintOptions {
  /** Directory the rule files are under; paths are given to pint relative to it (alerts/...), as .pint.hcl matches them. */
  readonly cwd: string;
  readonly files: readonly string[];
  readonly binary: string;
  readonly config?: string;
  /** false: also run the checks that query the Prometheus servers the configuration names. */
  readonly offline?: boolean;
}

/**
 * Runs `pint lint` and returns every finding, info included, as a problem carrying pint's check
 * name and severity: nothing pint says is left unread. A pint that cannot run is a problem too.
 */
export function runPint(opts: PintOptions): BundleProblem[] {
  const out = mkdtempSync(join(tmpdir(), 'mm2-pint-'));
  try {
    const report = join(out, 'report.json');
    const args = [
      ...(opts.offline === false ? [] : ['--offline']),
      '--no-color',
      '--config',
      opts.config ?? PINT_CONFIG,
      'lint',
      '--min-severity',
      'info',
      '--fail-on',
      'info',
      '--json',
      report,
      ...opts.files,
    ];
    const r = spawnSync(opts.binary, args, { cwd: opts.cwd, encoding: 'utf8' });
    const files = opts.files.join(', ');
    if (r.error) return [{ file: files, check: 'pint', severity: 'bug', message: `pint could not run (${opts.binary}): ${r.error.message}` }];
    if (!existsSync(report)) {
      return [
        {
          file: files,
          check: 'pint',
          severity: 'bug',
          message: `pint ${args.join(' ')} exited ${r.status} without a report:\n${(r.stdout + r.stderr).trim()}`,
        },
      ];
    }
    const findings = JSON.parse(readFileSync(report, 'utf8')) as PintFinding[];
    const problems: BundleProblem[] = findings.map((f) => {
      const content = existsSync(join(opts.cwd, f.path)) ? readFileSync(join(opts.cwd, f.path), 'utf8') : '';
      const rule = ruleAt(content, f.lines?.[0]);
      const where = [f.lines?.length ? `line ${f.lines[0]}` : undefined, rule].filter(Boolean).join(', ');
      return {
        file: f.path,
        check: f.reporter,
        severity: severityOf(f.severity),
        message: `${where ? `${where}: ` : ''}${f.problem} (pint ${f.reporter}, ${severityOf(f.severity)})${f.details ? `\n    ${f.details.replace(/\n/g, '\n    ')}` : ''}`,
      };
    });
    // pint exits non-zero on a finding, and also on a configuration or parse error that has no finding.
    if (r.status !== 0 && problems.length === 0) {
      problems.push({ file: files, check: 'pint', severity: 'bug', message: `pint exited ${r.status}:\n${(r.stdout + r.stderr).trim()}` });
    }
    return problems;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
