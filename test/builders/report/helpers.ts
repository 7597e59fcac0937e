import { THRESHOLDS_JSON_PATH, THRESHOLDS_REPORT_PATH } from '../../../src/builders/report/index.js';
import { type Bundle, buildBundle } from '../../../src/bundle/bundle.js';
import type { Model } from '../../../src/model/model.js';
import type { GeneratedFile } from '../../../src/reader/read.js';
import { type Rule, readRules } from '../../../src/reader/read.js';

export function fileOf(bundle: Bundle, path: string): string {
  const content = bundle.get(path);
  if (content === undefined) throw new Error(`${path} is not in the bundle`);
  return content;
}

export function reportOf(model: Model): string {
  return fileOf(buildBundle(model), THRESHOLDS_REPORT_PATH);
}

export function jsonOf(model: Model): unknown {
  return JSON.parse(fileOf(buildBundle(model), THRESHOLDS_JSON_PATH));
}

export function rulesOf(model: Model): Rule[] {
  const files: GeneratedFile[] = [...buildBundle(model)].map(([path, content]) => ({ path, content }));
  return readRules(files);
}

/** Cells of a Markdown table row, unescaping `\|`. */
export function cells(row: string): string[] {
  return row
    .replace(/^\| /, '')
    .replace(/ \|$/, '')
    .split(/(?<!\\) \| /)
    .map((c) => c.replace(/\\\|/g, '|').replace(/\\\\/g, '\\'));
}

/** The lines from a heading to the next heading of the same or a higher level. */
export function sectionOf(report: string, headingStart: string): string[] {
  const lines = report.split('\n');
  const start = lines.findIndex((l) => l.startsWith(headingStart));
  if (start < 0) throw new Error(`no heading starting with ${headingStart}`);
  const level = /^#+/.exec(headingStart)![0].length;
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^#{1,${level}} `).test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** The rows (as cells) of the first table in some lines, header excluded. */
export function tableRows(lines: readonly string[]): string[][] {
  const first = lines.findIndex((l) => l.startsWith('| '));
  if (first < 0) return [];
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i]!.startsWith('| '); i++) rows.push(cells(lines[i]!));
  return rows;
}
