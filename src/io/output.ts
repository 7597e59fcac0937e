import {
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  statfsSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Bundle } from '../bundle/bundle.js';
import { OUTPUT_DIRS } from '../documents/document.js';
import type { Model } from '../model/model.js';
import { describeFsError, InputError, isErrno } from './errors.js';
import { EMPTY_MANIFEST, MANIFEST_PATH, type Manifest, manifestFor, owns, parseManifest, renderManifest, sha256 } from './manifest.js';

/**
 * The output-directory contract. A build
 * - writes each file to a temporary file beside it and renames it over the old one, so a
 *   reader (Prometheus reloading its rules, Grafana polling its dashboards folder) sees the
 *   old file or the new one, never half of one;
 * - never replaces, renames or empties a directory: bind mounts and watchers keep working;
 * - replaces or removes only files listed in its manifest (MANIFEST_PATH) that still hold
 *   the bytes it wrote there; any other file is someone else's and is left alone, and a
 *   build that would have to overwrite one stops (unless forced) before writing anything.
 */

/** The output directory as the user named it, for messages: `--out ./x`, `output.dir ../b (my-env.yaml)`. */
export interface OutputRoot {
  readonly path: string;
  readonly shown: string;
}

type EntryKind = 'absent' | 'file' | 'dir' | 'symlink-to-dir' | 'symlink' | 'other';

function entry(abs: string): { kind: EntryKind; stats?: Stats } {
  let st: Stats | undefined;
  try {
    st = lstatSync(abs, { throwIfNoEntry: false });
  } catch (e) {
    // A path component that is a file: nothing can exist below it.
    if (isErrno(e) && e.code === 'ENOTDIR') return { kind: 'absent' };
    throw e;
  }
  if (!st) return { kind: 'absent' };
  if (st.isFile()) return { kind: 'file', stats: st };
  if (st.isDirectory()) return { kind: 'dir', stats: st };
  if (st.isSymbolicLink()) {
    const target = statSync(abs, { throwIfNoEntry: false });
    return { kind: target?.isDirectory() ? 'symlink-to-dir' : 'symlink', stats: st };
  }
  return { kind: 'other', stats: st };
}

// Kernel file systems (statfs f_type) whose directories hold kernel objects, not files: a path
// there is always a mistake, and Node's recursive mkdir used to spin forever under /proc.
const PSEUDO_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
  [0x6e736673, 'nsfs'],
  [0xcafe4a11, 'bpf'],
]);

function refusePseudoFileSystem(root: OutputRoot, existing: string): void {
  let type: number;
  try {
    type = statfsSync(existing).type;
  } catch {
    return;
  }
  const name = PSEUDO_FILE_SYSTEMS.get(type);
  if (name) throw new InputError(root.shown, `is on the kernel's ${name} file system (${existing}), which cannot hold files: expected a directory on a disk`);
}

/**
 * Checks the output directory before anything is built or written. It must be a directory,
 * or not exist yet with an existing parent: a path whose parent is missing is more often a
 * typo than a wish, so it is refused rather than created with all its parents.
 */
export function inspectOutputRoot(root: OutputRoot): { exists: boolean } {
  let st: Stats | undefined;
  try {
    st = statSync(root.path, { throwIfNoEntry: false });
  } catch (e) {
    throw new InputError(root.shown, `cannot be used as the output directory: ${describeFsError(e)}`);
  }
  if (st) {
    if (!st.isDirectory()) throw new InputError(root.shown, `exists and is not a directory (expected the directory that receives ${OUTPUT_DIRS.join('/, ')}/)`);
    refusePseudoFileSystem(root, root.path);
    return { exists: true };
  }
  const parent = dirname(root.path);
  let parentStats: Stats | undefined;
  try {
    parentStats = statSync(parent, { throwIfNoEntry: false });
  } catch (e) {
    throw new InputError(root.shown, `cannot be used as the output directory: ${describeFsError(e)}`);
  }
  if (!parentStats)
    throw new InputError(
      root.shown,
      `its parent directory ${parent} does not exist: create it first (the build creates the output directory, not its parents)`,
    );
  if (!parentStats.isDirectory()) throw new InputError(root.shown, `${parent} is not a directory`);
  refusePseudoFileSystem(root, parent);
  return { exists: false };
}

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** The manifest in the output directory, the empty one when there is none yet. */
export function readManifest(root: OutputRoot): { manifest: Manifest; problem?: string } {
  const abs = join(root.path, MANIFEST_PATH);
  const e = entry(abs);
  if (e.kind === 'absent') return { manifest: EMPTY_MANIFEST };
  if (e.kind !== 'file') return { manifest: EMPTY_MANIFEST, problem: 'is not a regular file' };
  if (e.stats!.size > MAX_MANIFEST_BYTES) return { manifest: EMPTY_MANIFEST, problem: `is larger than ${MAX_MANIFEST_BYTES} bytes` };
  const parsed = parseManifest(readFileSync(abs, 'utf8'));
  return 'manifest' in parsed ? { manifest: parsed.manifest } : { manifest: EMPTY_MANIFEST, problem: parsed.problem };
}

/** Why a build may not write: a file that is not the bundle's where the bundle must write. */
export interface Conflict {
  readonly path: string;
  readonly reason: string;
  /** `--force` takes the file over (a directory or device in the way never is). */
  readonly forceable: boolean;
}

export interface FileWrite {
  readonly path: string;
  readonly content: string;
  /** The file it replaces, whose permissions the new one keeps. */
  readonly replaces?: Stats;
}

export interface WritePlan {
  readonly root: OutputRoot;
  readonly rootExists: boolean;
  /** Directories to create, parents first, relative to the root. */
  readonly mkdirs: readonly string[];
  readonly writes: readonly FileWrite[];
  readonly unchanged: readonly string[];
  readonly removals: readonly string[];
  /** Temporary files left by a build that was killed, removed with the next one. */
  readonly leftovers: readonly string[];
  /** `final` once every file is in place; `during` while they are swapped in (see Manifest.pending). */
  readonly manifest: { readonly final: string; readonly during: string; readonly changed: boolean };
  readonly conflicts: readonly Conflict[];
  /** Conflicts `--force` overrides: files the build takes over. */
  readonly forced: readonly Conflict[];
}

const TEMP_SUFFIX = /^\..+\.mm2-tmp-(\d+)$/;
// Hidden, and ending in neither .json nor .yaml/.yml: no reader's glob picks a half-written file.
function tempPath(abs: string): string {
  return join(dirname(abs), `.${basename(abs)}.mm2-tmp-${process.pid}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e) && e.code === 'EPERM';
  }
}

/** A file-system error while reading the output directory is about the user's directory, not a defect. */
function readingErrors<T>(root: OutputRoot, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof InputError || !isErrno(e)) throw e;
    throw new InputError(root.shown, `cannot be read: ${describeFsError(e)}${e.path ? ` (${e.path})` : ''}`);
  }
}

/** Decides, reading only, what a build of `bundle` into `root` does. */
export function planWrite(bundle: Bundle, model: Model, root: OutputRoot, opts: { force: boolean }): WritePlan {
  return readingErrors(root, () => plan(bundle, model, root, opts));
}

function plan(bundle: Bundle, model: Model, root: OutputRoot, opts: { force: boolean }): WritePlan {
  const { exists } = inspectOutputRoot(root);
  const conflicts: Conflict[] = [];
  const { manifest, problem } = exists ? readManifest(root) : { manifest: EMPTY_MANIFEST };
  if (problem && !opts.force) {
    throw new InputError(
      join(root.shown, MANIFEST_PATH),
      `${problem}. This file records which files mm2-monitoring owns here; restore it from version control, or pass --force to rebuild it (the build then overwrites any file in its way)`,
    );
  }

  const mkdirs: string[] = [];
  const dirs = [
    ...new Set(
      [...bundle.keys()].flatMap((p) =>
        p
          .split('/')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
      ),
    ),
  ].sort();
  for (const d of dirs) {
    const e = entry(join(root.path, d));
    if (e.kind === 'absent') mkdirs.push(d);
    else if (e.kind !== 'dir' && e.kind !== 'symlink-to-dir')
      conflicts.push({ path: d, reason: 'exists and is not a directory; the bundle writes its files in it', forceable: false });
  }

  const writes: FileWrite[] = [];
  const unchanged: string[] = [];
  // What each path holds now that is the bundle's (or is taken over with --force).
  const ownedNow: Record<string, string> = {};
  for (const [path, content] of bundle) {
    const abs = join(root.path, path);
    const e = entry(abs);
    if (e.kind === 'absent') {
      writes.push({ path, content });
      continue;
    }
    if (e.kind !== 'file') {
      if (e.kind === 'symlink') conflicts.push({ path, reason: 'is a symbolic link, not a file mm2-monitoring wrote', forceable: true });
      else conflicts.push({ path, reason: 'is a directory or special file where the bundle writes a file', forceable: false });
      if (e.kind === 'symlink') writes.push({ path, content });
      continue;
    }
    const onDisk = readFileSync(abs);
    const hash = sha256(onDisk);
    ownedNow[path] = hash;
    if (onDisk.equals(Buffer.from(content, 'utf8'))) {
      unchanged.push(path);
      continue;
    }
    if (!owns(manifest, path, hash)) {
      conflicts.push({
        path,
        reason:
          path in manifest.files
            ? 'was edited after mm2-monitoring wrote it (its content is not what the build wrote)'
            : `was not written by mm2-monitoring (it is not in ${MANIFEST_PATH})`,
        forceable: true,
      });
    }
    writes.push({ path, content, replaces: e.stats! });
  }

  const removals: string[] = [];
  const listed = new Set([...Object.keys(manifest.files), ...Object.keys(manifest.pending ?? {})]);
  for (const path of [...listed].sort()) {
    if (bundle.has(path)) continue;
    const abs = join(root.path, path);
    const e = entry(abs);
    // Anything but a plain file is not something the bundle wrote: it is left alone.
    if (e.kind !== 'file') continue;
    const hash = sha256(readFileSync(abs));
    ownedNow[path] = hash;
    if (!owns(manifest, path, hash)) {
      conflicts.push({ path, reason: 'is no longer generated, and was edited after mm2-monitoring wrote it', forceable: true });
    }
    removals.push(path);
  }

  const leftovers: string[] = [];
  for (const d of dirs) {
    const e = entry(join(root.path, d));
    if (e.kind !== 'dir' && e.kind !== 'symlink-to-dir') continue;
    for (const f of readdirSync(join(root.path, d), { withFileTypes: true })) {
      const m = TEMP_SUFFIX.exec(f.name);
      if (m && f.isFile() && !alive(Number(m[1]))) leftovers.push(`${d}/${f.name}`);
    }
  }

  const final = manifestFor(bundle, model);
  const manifestAbs = join(root.path, MANIFEST_PATH);
  const manifestNow = entry(manifestAbs);
  if (manifestNow.kind !== 'file' && manifestNow.kind !== 'absent') conflicts.push({ path: MANIFEST_PATH, reason: 'is not a regular file', forceable: false });
  const manifestStale = manifestNow.kind !== 'file' || readFileSync(manifestAbs, 'utf8') !== final;
  // Interrupted at any point of the swap, every path holds either its `files` or its
  // `pending` bytes, so the next build still recognises all of them as its own.
  const during = renderManifest(model, ownedNow, Object.fromEntries(writes.map((w) => [w.path, sha256(w.content)])));

  return {
    root,
    rootExists: exists,
    mkdirs,
    writes,
    unchanged,
    removals,
    leftovers,
    manifest: { final, during, changed: manifestStale || writes.length > 0 || removals.length > 0 },
    conflicts: opts.force ? conflicts.filter((c) => !c.forceable) : conflicts,
    forced: opts.force ? conflicts.filter((c) => c.forceable) : [],
  };
}

/** Writes `content` to a new temporary file beside `abs` and flushes it to disk; returns its path. */
function writeTemp(abs: string, content: string, mode: number): string {
  const temp = tempPath(abs);
  // A leftover of this very pid (a reused pid after a crash) is ours to replace.
  rmSync(temp, { force: true });
  const fd = openSync(temp, 'wx', mode);
  try {
    const bytes = Buffer.from(content, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** Replaces one file atomically: readers see the old bytes or the new ones. */
export function replaceFile(abs: string, content: string, mode: number): void {
  renameSync(writeTemp(abs, content, mode), abs);
}

export interface WriteResult {
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
}

/**
 * Carries out a plan that has no conflicts. Everything that can fail for lack of permission
 * or space (directories, every temporary file) happens before the first visible change; on
 * failure then, what was created is removed again and nothing has changed.
 */
export function applyPlan(plan: WritePlan): WriteResult {
  if (plan.conflicts.length > 0) throw new Error('applyPlan: the plan has conflicts');
  const root = plan.root.path;
  if (!plan.manifest.changed && plan.leftovers.length === 0) return { written: 0, unchanged: plan.unchanged.length, removed: 0 };
  const created: string[] = [];
  const temps: { temp: string; abs: string }[] = [];
  try {
    if (!plan.rootExists) {
      mkdirSync(root);
      created.push(root);
    }
    for (const d of plan.mkdirs) {
      mkdirSync(join(root, d));
      created.push(join(root, d));
    }
    for (const w of plan.writes) {
      const abs = join(root, w.path);
      temps.push({ temp: writeTemp(abs, w.content, w.replaces ? w.replaces.mode & 0o7777 : 0o644), abs });
    }
    replaceFile(join(root, MANIFEST_PATH), plan.manifest.during, 0o644);
  } catch (e) {
    for (const { temp } of temps) rmSync(temp, { force: true });
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // Not empty any more: someone else wrote there meanwhile; it stays.
      }
    }
    throw new InputError(plan.root.shown, `cannot write the bundle there: ${describeFsError(e)}${isErrno(e) && e.path ? ` (${e.path})` : ''}`);
  }
  let done = 0;
  try {
    for (const { temp, abs } of temps) {
      renameSync(temp, abs);
      done++;
    }
    for (const path of plan.removals) unlinkSync(join(root, path));
    for (const path of plan.leftovers) rmSync(join(root, path), { force: true });
    replaceFile(join(root, MANIFEST_PATH), plan.manifest.final, 0o644);
  } catch (e) {
    for (const { temp } of temps.slice(done)) rmSync(temp, { force: true });
    throw new Error(
      `writing under ${plan.root.shown} stopped after ${done} of ${temps.length} files were replaced: ${describeFsError(e)}. Every file is whole (old or new); run the build again to finish`,
    );
  }
  return { written: plan.writes.length, unchanged: plan.unchanged.length, removed: plan.removals.length };
}

export interface Drift {
  /** Generated files whose content on disk differs: path, what is on disk, what the model generates. */
  readonly changed: { path: string; onDisk: string; expected: string }[];
  readonly missing: string[];
  /** Files the manifest on disk says the bundle owns that it no longer generates: a build removes them. */
  readonly stale: string[];
  /** Files under the output directories that are not the bundle's: left alone by build and check. */
  readonly others: string[];
  /** Paths where the bundle writes a file but something else is (a directory, a device). */
  readonly blocked: string[];
}

function filesUnder(root: string, dir: string): string[] {
  const e = entry(join(root, dir));
  if (e.kind !== 'dir' && e.kind !== 'symlink-to-dir') return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = `${dir}/${d.name}`;
    if (d.isDirectory()) return filesUnder(root, rel);
    return TEMP_SUFFIX.test(d.name) ? [] : [rel];
  });
}

/** Compares the bundle and its manifest with what is on disk. Reads only. */
export function diffAgainstDisk(bundle: Bundle, model: Model, root: OutputRoot): Drift {
  return readingErrors(root, () => compare(bundle, model, root));
}

function compare(bundle: Bundle, model: Model, root: OutputRoot): Drift {
  const expected = new Map([...bundle, [MANIFEST_PATH, manifestFor(bundle, model)]]);
  const drift: Drift = { changed: [], missing: [], stale: [], others: [], blocked: [] };
  for (const [path, content] of expected) {
    const e = entry(join(root.path, path));
    if (e.kind === 'absent') drift.missing.push(path);
    else if (e.kind !== 'file') drift.blocked.push(path);
    else {
      const onDisk = readFileSync(join(root.path, path), 'utf8');
      if (onDisk !== content) drift.changed.push({ path, onDisk, expected: content });
    }
  }
  const { manifest } = readManifest(root);
  const listed = new Set([...Object.keys(manifest.files), ...Object.keys(manifest.pending ?? {})]);
  for (const path of OUTPUT_DIRS.flatMap((d) => filesUnder(root.path, d)).sort()) {
    if (expected.has(path)) continue;
    if (listed.has(path)) drift.stale.push(path);
    else drift.others.push(path);
  }
  return drift;
}
