/** A defect found in the generated bundle: which file, and what is wrong. */
export interface BundleProblem {
  readonly file: string;
  readonly message: string;
  /** The check that found it (pint's check name, or an `mm2/...` id of this project's rule lint): look it up and suppress it by this. */
  readonly check?: string;
  /** As pint grades its findings: bug (fails), warning, info. */
  readonly severity?: 'bug' | 'warning' | 'info';
}
