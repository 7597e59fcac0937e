export interface ConfigProblem {
  /** e.g. "flows[1].connectors.source.tasksMax" ("(root)" for the document itself). */
  readonly path: string;
  readonly message: string;
}

/** A configuration that cannot make a correct bundle. The message names the file, the field and what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => `${source}: ${p.path}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
