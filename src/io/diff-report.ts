import { createTwoFilesPatch } from 'diff';

/**
 * Unified diffs of what `check` found different, capped so that a model change that touches
 * every dashboard does not bury the summary: at most `perFile` lines of each file's diff and
 * `total` lines in all, with a line saying how much was left out.
 */
export function cappedDiffs(changed: readonly { path: string; onDisk: string; expected: string }[], limits = { perFile: 40, total: 200 }): string {
  const out: string[] = [];
  let budget = limits.total;
  let omittedFiles = 0;
  for (const { path, onDisk, expected } of changed) {
    if (budget <= 0) {
      omittedFiles++;
      continue;
    }
    // "a/" is what is on disk, "b/" what a build would write: the diff reads as the build's change.
    const lines = createTwoFilesPatch(`a/${path}`, `b/${path}`, onDisk, expected, 'on disk', 'generated', { context: 2 })
      .split('\n')
      .filter((l) => !/^={10,}$/.test(l) && l !== '\\ No newline at end of file' && l !== '');
    const cap = Math.min(limits.perFile, budget);
    out.push(...lines.slice(0, cap));
    if (lines.length > cap) out.push(`... ${lines.length - cap} more diff lines in ${path}`);
    budget -= cap;
  }
  if (omittedFiles > 0) out.push(`... and the diffs of ${omittedFiles} more file(s)`);
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
