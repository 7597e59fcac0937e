import { markdownFile, type GeneratedFile } from '../bundle/files.js';
import type { Model } from '../model/model.js';
import { thresholdsReport } from './thresholds.js';

/** Beside the rule files it audits, so that a review of alerts/ shows both. */
export const THRESHOLDS_REPORT_PATH = 'alerts/THRESHOLDS.md';

/**
 * The audit report reads what the other builders generated (rule files and dashboards), so it
 * takes their files as input: it documents the bundle as built, not as intended.
 */
export function buildReportFiles(model: Model, generated: readonly GeneratedFile[]): GeneratedFile[] {
  return [markdownFile(THRESHOLDS_REPORT_PATH, model, 'Threshold audit report', thresholdsReport(model, generated))];
}
