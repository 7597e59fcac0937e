import type { BundleValues } from '../documents/values.js';

/** One PromQL expression of the bundle and where it lives, for error messages. */
export interface BundleExpression {
  readonly file: string;
  /** e.g. "group mm2-alerts, alert MM2TaskFailedCritical" or "panel \"Replication latency\", query A" */
  readonly where: string;
  /** As written in the file. */
  readonly raw: string;
  /** As Prometheus would receive it (Grafana variables substituted). */
  readonly expr: string;
}

/** Every PromQL expression in the bundle: rule files and every dashboard query, hidden ones too. */
export function bundleExpressions(bundle: BundleValues): BundleExpression[] {
  return [
    ...bundle.rules.map((r) => ({ file: r.file, where: r.where, raw: r.expr, expr: r.expr })),
    ...bundle.panels.map((q) => ({
      file: q.file,
      where: `panel "${q.title}", query ${q.refId}`,
      raw: q.raw,
      expr: q.expr,
    })),
  ];
}
