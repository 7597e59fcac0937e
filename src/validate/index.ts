import type { BuiltDeployment } from '../bundle/bundle.js';
import { prefixedPath } from '../documents/paths.js';
import { type BundleValues, bundleValuesOf } from '../documents/values.js';
import type { Model } from '../model/model.js';
import { type Check, checkInput } from './check.js';
import { alertIdentity } from './checks/alert-identity.js';
import { groupScope } from './checks/group-scope.js';
import { promqlSyntax } from './checks/promql-syntax.js';
import { rateWindow } from './checks/rate-window.js';
import { seriesExist } from './checks/series-exist.js';
import { upAbsentFor } from './checks/up-absent-for.js';
import type { BundleProblem } from './problem.js';

/**
 * The in-process checks (no external tool needed), in the order their findings are listed.
 * What pint checks offline with .pint.hcl is not repeated here: these need the model (its
 * scrape interval, its group labels, its MBeans) or see the bundle as a whole.
 */
export const CHECKS: readonly Check[] = [promqlSyntax, seriesExist, rateWindow, upAbsentFor, alertIdentity, groupScope];

/** In-process validations of a bundle's values (no external tool needed). */
export function validateBundle(bundle: BundleValues, model: Model): BundleProblem[] {
  const input = checkInput(bundle, model);
  return CHECKS.flatMap((check) => check.run(input));
}

/**
 * Every cluster's part of a deployment validated as a bundle of its own (its files and the
 * shared ones), problems named by the files' paths in the bundle; a shared file's problem once.
 */
export function validateDeployment(built: BuiltDeployment): BundleProblem[] {
  const seen = new Set<string>();
  const problems: BundleProblem[] = [];
  for (const view of built.views) {
    for (const p of validateBundle(bundleValuesOf(view.documents, view.model, view.queries.rules), view.model)) {
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
