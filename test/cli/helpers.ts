import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach } from 'vitest';
import { run } from '../../src/cli.js';

/** What one in-process run of the CLI returned and printed. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The CLI in-process, its output captured; `env` as the process would see it (how it was invoked). */
export function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  let out = '';
  let err = '';
  const code = run(
    [...argv],
    {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    },
    env,
  );
  return { code, out, err };
}

/** A maker of temporary directories, each removed after the test that made it. Call at the top of a test file. */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/** Every file under dir (hidden ones included), path -> content, in path order; empty when dir does not exist. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files.set(relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), 'utf8'));
  }
  return new Map([...files].sort());
}
