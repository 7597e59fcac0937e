import type { BuiltDeployment, Bundle } from '../bundle/bundle.js';
import { prefixedPath } from '../documents/paths.js';
import type { Model } from '../model/model.js';
import { consistencyProblems } from './consistency.js';
import type { BundleProblem } from './problem.js';
import { promqlProblems } from './promql-syntax.js';
import { groupLabelProblems, ruleLintProblems } from './rule-lint.js';

/** In-process validations of a bundle (no external tool needed). */
export function validateBundle(bundle: Bundle, model: Model): BundleProblem[] {
  return [...promqlProblems(bundle, model), ...consistencyProblems(bundle, model), ...ruleLintProblems(bundle, model), ...groupLabelProblems(bundle, model)];
}

/**
 * Every cluster's part of a deployment validated as a bundle of its own (its files and the
 * shared ones), problems named by the files' paths in the bundle; a shared file's problem once.
 */
export function validateDeployment(built: BuiltDeployment): BundleProblem[] {
  const seen = new Set<string>();
  const problems: BundleProblem[] = [];
  for (const view of built.views) {
    for (const p of validateBundle(view.files, view.model)) {
      const own = prefixedPath(view.model.prefix, p.file);
      const named = built.bundle.has(own) ? { ...p, file: own } : p;
      const key = `${named.file}\0${named.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(named);
    }
  }
  return problems;
}
