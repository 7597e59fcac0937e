import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The CLI as users run it (`node dist/bin.js`), compiled from the current sources into a
 * directory of its own, so that what runs in a child process (a build Prometheus reloads
 * during, a process under a read-only mount) is this tree's code and the exit code is the
 * real process's.
 */
export interface CompiledCli {
  readonly bin: string;
  /** Runs the CLI to completion; `prefix` is a command to run it under (unshare, timeout). */
  run(args: readonly string[], opts?: { prefix?: readonly string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string }): Promise<CliResult>;
  dispose(): void;
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
  readonly timedOut: boolean;
}

export function compileCli(): CompiledCli {
  const dir = mkdtempSync(join(tmpdir(), 'mm2-compiled-cli-'));
  const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.json'), '--outDir', join(dir, 'dist')], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  // dist/cli.js reads ../package.json and resolves its dependencies from ../node_modules.
  copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const bin = join(dir, 'dist', 'bin.js');
  return {
    bin,
    run(args, opts = {}) {
      const argv = [...(opts.prefix ?? []), process.execPath, bin, ...args];
      return new Promise((resolve, reject) => {
        const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        let timedOut = false;
        child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
        child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs ?? 60_000);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, out, err, timedOut });
        });
      });
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
