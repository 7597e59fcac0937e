import type { Bundle } from '../bundle/bundle.js';
import type { Model } from '../model/model.js';
import type { BundleProblem } from './index.js';

// Placeholder: filled in by its own issue.
export function consistencyProblems(_bundle: Bundle, _model: Model): BundleProblem[] {
  return [];
}
