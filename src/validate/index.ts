import type { Bundle } from '../bundle/bundle.js';
import type { Model } from '../model/model.js';
import { consistencyProblems } from './consistency.js';
import type { BundleProblem } from './problem.js';
import { promqlProblems } from './promql-syntax.js';
import { groupLabelProblems, ruleLintProblems } from './rule-lint.js';

/** In-process validations of a bundle (no external tool needed). */
export function validateBundle(bundle: Bundle, model: Model): BundleProblem[] {
  return [...promqlProblems(bundle, model), ...consistencyProblems(bundle, model), ...ruleLintProblems(bundle, model), ...groupLabelProblems(bundle, model)];
}
