import { validatePromql } from '../../promql/validate.js';
import { defineCheck } from '../check.js';

interface SyntaxFinding {
  readonly file: string;
  readonly where: string;
  readonly detail: string;
  /** The expression as Prometheus would receive it. */
  readonly expr: string;
}

/** Syntax and type errors in any PromQL expression of the bundle (rules and panels, variables substituted). */
export const promqlSyntax = defineCheck<SyntaxFinding>({
  id: 'mm2/promql-syntax',
  severity: 'bug',
  find: ({ expressions }) =>
    expressions.flatMap((e) =>
      validatePromql(e.expr).map((d) => ({ file: e.file, where: e.where, detail: `PromQL ${d.kind} error: ${d.message}`, expr: e.expr })),
    ),
  message: (f) => `${f.where}: ${f.detail}\n    in: ${f.expr.trim()}`,
});
