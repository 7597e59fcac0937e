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
  const perView = built.views.map((view) =>
    validateBundle(bundleValuesOf(view.documents, view.model, view.queries.rules), view.model).map((p) => {
      const own = prefixedPath(view.model.prefix, p.file);
      return { problem: built.bundle.has(own) ? { ...p, file: own } : p, shared: !built.bundle.has(own) || own === p.file };
    }),
  );
  // A document every cluster shares (the dashboards) unions the flows of every cluster: a part of
  // a query that reads another cluster's flow selects nothing here, and is right to. Such a
  // problem stands only when every cluster finds it at the same place.
  const inEvery = (p: BundleProblem) => perView.every((found) => found.some((f) => f.shared && placeOf(f.problem) === placeOf(p)));
  for (const found of perView) {
    for (const { problem, shared } of found) {
      if (built.views.length > 1 && shared && !inEvery(problem)) continue;
      const key = `${problem.file}\0${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

/**
 * Where a problem is, without what differs from one cluster to another: its file, its check, and
 * the place and selector its message starts with, the regex matchers left out (the dashboards'
 * variables are substituted there with each cluster's values).
 */
function placeOf(p: BundleProblem): string {
  const [where, selector] = p.message.split(': ');
  return [p.file, p.check ?? '', where, (selector ?? '').replace(/,? ?\w+=~"(?:[^"\\]|\\.)*"/g, '')].join('\0');
}
