import type { Bundle } from '../bundle/bundle.js';
import type { Model } from '../model/model.js';
import { validatePromql } from '../promql/validate.js';
import { bundleExpressions } from './expressions.js';
import type { BundleProblem } from './problem.js';

/** Syntax and type errors in any PromQL expression of the bundle (rules and panels, variables substituted). */
export function promqlProblems(bundle: Bundle, model: Model): BundleProblem[] {
  return bundleExpressions(bundle, model).flatMap((e) =>
    validatePromql(e.expr).map((d) => ({ file: e.file, message: `${e.where}: PromQL ${d.kind} error: ${d.message}\n    in: ${e.expr.trim()}` })),
  );
}
