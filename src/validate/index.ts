import type { Bundle } from '../bundle/bundle.js';
import type { Model } from '../model/model.js';

/** A defect found in the generated bundle: which file, and what is wrong. */
export interface BundleProblem {
  readonly file: string;
  readonly message: string;
}

/** In-process validations of a bundle (no external tool needed). */
export function validateBundle(_bundle: Bundle, _model: Model): BundleProblem[] {
  return [];
}
