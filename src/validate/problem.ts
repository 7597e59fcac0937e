/** As pint grades its findings: bug (fails), warning, info. */
export type Severity = 'bug' | 'warning' | 'info';

/** A defect found in the generated bundle: which file, and what is wrong. */
export interface BundleProblem {
  readonly file: string;
  readonly message: string;
  /** The check that found it (pint's check name, or the `mm2/...` id of a check of checks/): look it up and suppress it by this. */
  readonly check?: string;
  readonly severity?: Severity;
}
