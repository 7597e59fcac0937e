import type { Bundle } from '../bundle/bundle.js';
import type { Model } from '../model/model.js';
import { consistencyProblems } from './consistency.js';
import { promqlProblems } from './promql-syntax.js';
import { groupLabelProblems, ruleLintProblems } from './rule-lint.js';

/** A defect found in the generated bundle: which file, and what is wrong. */
export interface BundleProblem {
  readonly file: string;
  readonly message: string;
  /** The check that found it (pint's check name, or an `mm2/...` id of this project's rule lint): look it up and suppress it by this. */
  readonly check?: string;
  /** As pint grades its findings: bug (fails), warning, info. */
  readonly severity?: 'bug' | 'warning' | 'info';
}

/** In-process validations of a bundle (no external tool needed). */
export function validateBundle(bundle: Bundle, model: Model): BundleProblem[] {
  return [...promqlProblems(bundle, model), ...consistencyProblems(bundle, model), ...ruleLintProblems(bundle, model), ...groupLabelProblems(bundle, model)];
}
