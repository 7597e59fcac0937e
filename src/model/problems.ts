export interface ConfigProblem {
  /** e.g. "flows[1].connectors.source.tasksMax" ("(root)" for the document itself). */
  readonly path: string;
  readonly message: string;
  /** The line of the override file the problem is about, once the file's positions are known. */
  readonly line?: number;
}

/** Where a field path sits in the override file: the line of the deepest part of it the file writes. */
export type LineOf = (path: string) => number | undefined;

/** A configuration that cannot make a correct bundle. The message names the file, the line, the field and what was expected. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => `${source}${p.line !== undefined ? `:${p.line}` : ''}: ${p.path}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }

  /** The same problems with the lines of the file they are about. */
  located(lineOf: LineOf): ConfigError {
    return new ConfigError(
      this.source,
      this.problems.map((p) => {
        const line = p.line ?? lineOf(p.path);
        return line === undefined ? p : { ...p, line };
      }),
    );
  }
}
