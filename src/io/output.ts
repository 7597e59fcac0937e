import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Bundle } from '../bundle/bundle.js';
import { OUTPUT_DIRS } from '../bundle/files.js';

/**
 * Writes the bundle so that readers see either the old outputs or the new ones, never a mix:
 * everything goes to a temporary directory beside the outputs first, and each output
 * directory is swapped in by rename only once all files are written. If a swap fails, the
 * directories already swapped are put back.
 */
export function writeBundleAtomically(bundle: Bundle, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const staging = mkdtempSync(join(outDir, '.tmp-mm2-build-'));
  const swapped: { dir: string; backup: string | undefined }[] = [];
  try {
    for (const [path, content] of bundle) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    for (const dir of OUTPUT_DIRS) {
      const live = join(outDir, dir);
      const fresh = join(staging, dir);
      // An optional output (kubernetes/) that was never built leaves no empty directory behind.
      if (!existsSync(fresh) && !existsSync(live)) continue;
      if (!existsSync(fresh)) mkdirSync(fresh);
      const backup = existsSync(live) ? join(staging, `${dir}.previous`) : undefined;
      if (backup) renameSync(live, backup);
      swapped.push({ dir, backup });
      renameSync(fresh, live);
    }
  } catch (e) {
    for (const { dir, backup } of swapped.reverse()) {
      const live = join(outDir, dir);
      if (backup && existsSync(backup)) {
        rmSync(live, { recursive: true, force: true });
        renameSync(backup, live);
      }
    }
    throw e;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function listFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'));
}

export interface Drift {
  readonly changed: string[];
  readonly missing: string[];
  readonly unexpected: string[];
}

/** Compares the bundle with what is on disk under the output directories. */
export function diffAgainstDisk(bundle: Bundle, outDir: string): Drift {
  const onDisk = new Set(OUTPUT_DIRS.flatMap((d) => listFiles(outDir, d)));
  const drift: Drift = { changed: [], missing: [], unexpected: [] };
  for (const [path, content] of bundle) {
    if (!onDisk.has(path)) drift.missing.push(path);
    else if (readFileSync(join(outDir, path), 'utf8') !== content) drift.changed.push(path);
  }
  for (const path of onDisk) if (!bundle.has(path)) drift.unexpected.push(path);
  drift.unexpected.sort();
  return drift;
}
