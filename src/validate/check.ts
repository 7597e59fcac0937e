import type { Rule } from '../documents/rules.js';
import type { BundleValues } from '../documents/values.js';
import type { Model } from '../model/model.js';
import { type BundleExpression, bundleExpressions } from './expressions.js';
import type { BundleProblem, Severity } from './problem.js';

/**
 * One in-process check of a bundle, as pint shapes its checks: an id a finding is looked up
 * and suppressed by, a severity, and the wording of its findings, in one file per check under
 * checks/. index.ts lists them; a new check is one file there and one line in that list.
 */

/**
 * What every check reads: the bundle's values (as assembled, or read from files on disk), the
 * model it was built from, and its rules and expressions gathered once for all checks.
 */
export interface CheckInput {
  readonly bundle: BundleValues;
  readonly model: Model;
  readonly rules: readonly Rule[];
  /** Every PromQL expression: the rules' and the dashboards' queries. */
  readonly expressions: readonly BundleExpression[];
}

export function checkInput(bundle: BundleValues, model: Model): CheckInput {
  return { bundle, model, rules: bundle.rules, expressions: bundleExpressions(bundle) };
}

/** One place in a file where a check fails, before it is worded. */
export interface Finding {
  readonly file: string;
  /** The rule or panel it is about ("group mm2-alerts, alert MM2TaskFailedCritical"), if any. */
  readonly where?: string;
  /** What is wrong there, in the check's own words. */
  readonly detail: string;
}

export interface Check {
  /** `mm2/...`: the name a finding carries, as pint's `promql/rate`. */
  readonly id: string;
  readonly severity: Severity;
  /** The check's findings, worded as problems. */
  run(input: CheckInput): BundleProblem[];
}

interface CheckSpec<F extends Finding> {
  readonly id: string;
  readonly severity: Severity;
  find(input: CheckInput): readonly F[];
  /** The message of one finding (what follows the file name); by default `where: detail (id, severity)`. */
  readonly message?: (finding: F) => string;
}

export function defineCheck<F extends Finding>(spec: CheckSpec<F>): Check {
  const message = spec.message ?? ((f: F) => `${f.where ? `${f.where}: ` : ''}${f.detail} (${spec.id}, ${spec.severity})`);
  return {
    id: spec.id,
    severity: spec.severity,
    run: (input) => spec.find(input).map((f) => ({ file: f.file, check: spec.id, severity: spec.severity, message: message(f) })),
  };
}
