import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_REFERENCE_PATH, configReferenceMarkdown } from './builders/report/config-reference.js';
import { type BuiltDeployment, buildDeployment } from './bundle/bundle.js';
import { OUTPUT_DIRS } from './documents/document.js';
import { type OverrideDocument, readOverrideDocument } from './io/config-file.js';
import { cappedDiffs } from './io/diff-report.js';
import { describeFsError, InputError, isErrno } from './io/errors.js';
import { MANIFEST_PATH } from './io/manifest.js';
import { applyPlan, diffAgainstDisk, inspectOutputRoot, type OutputRoot, planWrite, replaceFile } from './io/output.js';
import { collectionWarnings } from './metrics/collection-cost.js';
import { OVERRIDE_SCHEMA_PATH, overrideJsonSchemaText } from './model/config-schema.js';
import { loadDeployment } from './model/deployment.js';
import { effectiveConfigYaml, starterOverrideYaml } from './model/effective.js';
import type { Deployment } from './model/model.js';
import { ConfigError } from './model/problems.js';
import { EXTERNAL_TOOLS, runExternalValidations, toolInstalled } from './validate/external.js';
import { validateDeployment } from './validate/index.js';
import type { BundleProblem } from './validate/problem.js';

/**
 * Exit codes: 1 = the bundle is wrong or out of date, 2 = the user's input is wrong (flags,
 * configuration, output directory), 3 = anything else (a defect of mm2-monitoring, or the
 * file system failing half way).
 */
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;
/** Set to 1 to get the stack trace of an internal error instead of its one-line summary. */
export const DEBUG_ENV = 'MM2_MONITORING_DEBUG';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

interface CommonOptions {
  config?: string;
  out?: string;
  external: boolean;
}

/** Where the CLI prints: the process streams in production, buffers in tests. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The build command with the --config/--out the user gave this one, to copy and paste where they
 * ran this one. Run as this repository's `npm run check`, the paths are the package root's, as
 * they are for `npm run build`; otherwise (npx, an installed package) npm scripts may be
 * another project's, and `npx mm2-monitoring` runs where the user is, with their paths.
 */
function buildCommand(opts: CommonOptions, env: NodeJS.ProcessEnv): string {
  const args = [...(opts.config !== undefined ? ['--config', opts.config] : []), ...(opts.out !== undefined ? ['--out', opts.out] : [])].map(shellWord);
  if (env['npm_lifecycle_event'] === 'check' && env['npm_package_name'] === pkg.name)
    return ['npm run build', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  return ['npx mm2-monitoring build', ...args].join(' ');
}

function loadFromOptions(opts: CommonOptions): { deployment: Deployment; root: OutputRoot } {
  if (opts.config === '') throw new InputError('--config', 'expected a file name, got an empty string');
  if (opts.out === '') throw new InputError('--out', 'expected a directory, got an empty string');
  const doc = opts.config !== undefined ? readOverrideDocument(opts.config) : undefined;
  const deployment = locatedErrors(doc, () => loadDeployment(doc?.value, opts.config));
  const model = deployment.clusters[0];
  // --out wins over the override file's output.dir, which is relative to the working directory.
  const root: OutputRoot =
    opts.out !== undefined
      ? { path: resolve(opts.out), shown: `--out ${opts.out}` }
      : {
          path: resolve(model.output.dir),
          shown: opts.config !== undefined ? `output.dir ${model.output.dir} (${opts.config})` : `output directory ${model.output.dir}`,
        };
  return { deployment, root };
}

/** Warnings on the model that do not make the bundle wrong (a worker's scrape near the timeout), per Connect cluster. */
function reportWarnings(io: Io, deployment: Deployment): void {
  const several = deployment.clusters.length > 1;
  for (const model of deployment.clusters)
    for (const w of collectionWarnings(model)) io.err(`mm2-monitoring: warning: ${several ? `cluster ${model.prometheus.cluster}: ` : ''}${w}\n`);
}

/** Runs what reads the override file's settings; its configuration errors name the file's lines. */
function locatedErrors<T>(doc: OverrideDocument | undefined, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ConfigError && doc) throw e.located(doc.lineOf);
    throw e;
  }
}

function reportProblems(io: Io, problems: readonly BundleProblem[]): void {
  for (const p of problems) io.err(`${p.file}: ${p.message}\n`);
}

/** The same validations for build and check; build skips (and says so) a tool that is not installed. */
function validations(io: Io, built: BuiltDeployment, opts: CommonOptions, command: 'build' | 'check'): BundleProblem[] {
  const bundle = built.bundle;
  const problems = validateDeployment(built);
  if (!opts.external) return problems;
  if (command === 'build') {
    for (const tool of EXTERNAL_TOOLS.filter((t) => !toolInstalled(t)))
      io.err(`mm2-monitoring: note: ${tool} is not installed, so its check was skipped (npm run check reports it)\n`);
  }
  return [...problems, ...runExternalValidations(bundle, { skipMissing: command === 'build' })];
}

function build(io: Io, opts: CommonOptions & { force: boolean }): number {
  const { deployment, root } = loadFromOptions(opts);
  const model = deployment.clusters[0];
  // The cheap checks of the output directory first: no point validating for a path that cannot be used.
  inspectOutputRoot(root);
  const built = buildDeployment(deployment);
  const bundle = built.bundle;
  reportWarnings(io, deployment);
  const problems = validations(io, built, opts, 'build');
  if (problems.length > 0) {
    reportProblems(io, problems);
    io.err(`mm2-monitoring: the bundle is invalid (${problems.length} problem(s)); nothing was written\n`);
    return EXIT_CHECK_FAILED;
  }
  const plan = planWrite(bundle, model, root, { force: opts.force });
  if (plan.conflicts.length > 0) {
    for (const c of plan.conflicts) io.err(`${root.path}/${c.path}: ${c.reason}\n`);
    const forceable = plan.conflicts.every((c) => c.forceable);
    io.err(
      `mm2-monitoring: ${root.shown}: ${plan.conflicts.length} file(s) in the way that mm2-monitoring did not write, or that were edited since; nothing was written.` +
        (forceable ? ' Move them away, or pass --force to overwrite (or remove) them.\n' : ' Move them away.\n'),
    );
    return EXIT_BAD_INPUT;
  }
  for (const c of plan.forced) io.err(`mm2-monitoring: --force: taking over ${root.path}/${c.path}, which ${c.reason}\n`);
  const r = applyPlan(plan);
  io.out(`mm2-monitoring: ${bundle.size} files under ${root.path}: ${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed\n`);
  return 0;
}

function check(io: Io, opts: CommonOptions, env: NodeJS.ProcessEnv): number {
  const { deployment, root } = loadFromOptions(opts);
  const model = deployment.clusters[0];
  if (!inspectOutputRoot(root).exists) throw new InputError(root.shown, `does not exist: nothing was built there (run "${buildCommand(opts, env)}")`);
  const built = buildDeployment(deployment);
  const bundle = built.bundle;
  const drift = diffAgainstDisk(bundle, model, root);
  const stale = [
    ...drift.changed.map(({ path }) => `${path}: differs from what the model generates`),
    ...drift.missing.map((p) => `${p}: generated by the model but missing on disk`),
    ...drift.blocked.map((p) => `${p}: the model generates a file here, but this is a directory or special file`),
    ...drift.stale.map((p) => `${p}: no longer generated (listed in ${MANIFEST_PATH}, so a build removes it)`),
  ];
  for (const line of stale) io.err(`${line}\n`);
  io.err(cappedDiffs(drift.changed));
  for (const p of drift.others) io.err(`mm2-monitoring: note: ${p} is not generated by mm2-monitoring; build and check leave it alone\n`);
  reportWarnings(io, deployment);
  const problems = validations(io, built, opts, 'check');
  reportProblems(io, problems);
  if (stale.length > 0 || problems.length > 0) {
    if (stale.length > 0)
      io.err(`mm2-monitoring: the outputs under ${root.path} are out of date: run "${buildCommand(opts, env)}" (and commit them if they are versioned)\n`);
    return EXIT_CHECK_FAILED;
  }
  io.out(`mm2-monitoring: ${bundle.size} files up to date and valid\n`);
  return 0;
}

/** Writes the starter override file; an existing file is the user's and is never replaced. */
function init(io: Io, file: string): number {
  if (existsSync(file)) throw new InputError(file, 'exists; nothing was written');
  try {
    writeFileSync(file, starterOverrideYaml(), { flag: 'wx' });
  } catch (e) {
    if (isErrno(e) && e.code === 'EEXIST') throw new InputError(file, 'exists; nothing was written');
    if (isErrno(e)) throw new InputError(file, `cannot be written: ${describeFsError(e)}`);
    throw e;
  }
  io.out(`mm2-monitoring: wrote ${file}; edit it, then: npx mm2-monitoring build --config ${file}\n`);
  return 0;
}

/**
 * Writes the override file's JSON Schema and its configuration reference under <dir>/schema/,
 * where the starter file's modeline looks for the schema. Each file is replaced atomically.
 */
function schemaFiles(io: Io, dir: string): number {
  if (dir === '') throw new InputError('[dir]', 'expected a directory, got an empty string');
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError(dir, 'expected an existing directory; nothing was written');
  const files: [string, string][] = [
    [OVERRIDE_SCHEMA_PATH, overrideJsonSchemaText()],
    [CONFIG_REFERENCE_PATH, configReferenceMarkdown()],
  ];
  try {
    for (const [path, content] of files) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      replaceFile(join(root, path), content, 0o644);
    }
  } catch (e) {
    if (isErrno(e)) throw new InputError(dir, `cannot be written: ${describeFsError(e)}`);
    throw e;
  }
  io.out(`mm2-monitoring: wrote ${files.map(([p]) => join(dir, p)).join(' and ')}\n`);
  return 0;
}

/** The one line printed for an error that is nobody's input: what broke, and how to see more. */
function internalError(io: Io, e: unknown, env: NodeJS.ProcessEnv): number {
  const message = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  if (env[DEBUG_ENV] === '1') io.err(`${e instanceof Error && e.stack ? e.stack : message}\n`);
  else io.err(`mm2-monitoring: internal error: ${message.split('\n')[0]} (set ${DEBUG_ENV}=1 for the stack trace)\n`);
  return EXIT_INTERNAL;
}

/** Runs the CLI and returns its exit code; never exits the process and never throws. */
export function run(argv: readonly string[], io: Io = processIo, env: NodeJS.ProcessEnv = process.env): number {
  let code = 0;
  let command: 'build' | 'check' | undefined;
  try {
    const program = new Command('mm2-monitoring')
      .description('Generate the Prometheus/Grafana monitoring bundle for MirrorMaker 2 on Kafka Connect')
      .version(pkg.version)
      .showHelpAfterError()
      .configureOutput({ writeOut: io.out, writeErr: io.err })
      .exitOverride();
    const configOption = () => new Option('-c, --config <file>', 'YAML file merged over the defaults (flows, workers, thresholds, job, output dir)');
    const outOption = () => new Option('-o, --out <dir>', `directory that receives ${OUTPUT_DIRS.map((d) => `${d}/`).join(', ')} (default: output.dir, ".")`);
    const noExternal = () => new Option('--no-external', 'skip the validations that need promtool, amtool and pint');
    // build and check take the same bundle options, so that `check` finds what `build` wrote.
    const bundleCommand = (name: 'build' | 'check', description: string) =>
      program.command(name).description(description).addOption(configOption()).addOption(outOption()).addOption(noExternal());
    bundleCommand('build', 'validate the bundle as check does, then write it, one file at a time, each atomically')
      .option('--force', `overwrite or remove files in the way that mm2-monitoring did not write (not in ${MANIFEST_PATH}, or edited since)`, false)
      .action((opts: CommonOptions & { force: boolean }) => {
        command = 'build';
        code = build(io, opts);
      });
    bundleCommand('check', 'rebuild in memory, fail if the outputs on disk differ (showing the diff), then validate the bundle').action(
      (opts: CommonOptions) => {
        command = 'check';
        code = check(io, opts, env);
      },
    );
    program
      .command('config')
      .description('print the configuration in force (defaults merged with --config) as YAML')
      .addOption(configOption())
      .action((opts: CommonOptions) => {
        if (opts.config === '') throw new InputError('--config', 'expected a file name, got an empty string');
        const doc = opts.config !== undefined ? readOverrideDocument(opts.config) : undefined;
        io.out(locatedErrors(doc, () => effectiveConfigYaml(doc?.value, opts.config)));
      });
    program
      .command('init')
      .description('write a commented starter override file (never over an existing file)')
      .argument('[file]', 'where to write it', 'mm2-monitoring.yaml')
      .action((file: string) => {
        code = init(io, file);
      });
    program
      .command('schema')
      .description(`write the override file's JSON Schema (${OVERRIDE_SCHEMA_PATH}) and configuration reference (${CONFIG_REFERENCE_PATH}) under [dir]`)
      .argument('[dir]', 'directory that receives schema/', '.')
      .action((dir: string) => {
        code = schemaFiles(io, dir);
      });
    program.parse([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    const nothingWritten = command === 'build' ? '; nothing was written' : '';
    if (e instanceof ConfigError) {
      io.err(`${e.message}\nmm2-monitoring: invalid configuration${nothingWritten}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof InputError) {
      io.err(`mm2-monitoring: ${e.message}${nothingWritten}\n`);
      return EXIT_BAD_INPUT;
    }
    try {
      return internalError(io, e, env);
    } catch {
      // The error stream itself failed: the exit code is all that is left to say it.
      return EXIT_INTERNAL;
    }
  }
}
