import { type Document, jsonFile, markdownFile } from '../../documents/document.js';
import type { Queries } from '../../documents/queries.js';
import type { Model } from '../../model/model.js';
import { audit } from './audit.js';
import { thresholdsReport } from './thresholds.js';
import { thresholdsJson } from './thresholds-json.js';

/** Beside the rule files they audit, so that a review of alerts/ shows them. */
export const THRESHOLDS_REPORT_PATH = 'alerts/THRESHOLDS.md';
export const THRESHOLDS_JSON_PATH = 'alerts/thresholds.json';

/**
 * The audit report reads what the other builders generated (rule files and dashboards), so it
 * takes what their rules and panels query as input: it documents the bundle as built, not as intended.
 */
export function buildReportFiles(model: Model, queries: Queries): Document[] {
  const a = audit(model, queries);
  return [
    markdownFile(THRESHOLDS_REPORT_PATH, model, 'Threshold audit report', thresholdsReport(a)),
    jsonFile(THRESHOLDS_JSON_PATH, model, 'Threshold audit, machine-readable (the content of THRESHOLDS.md)', thresholdsJson(a)),
  ];
}
