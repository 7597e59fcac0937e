import { createRequire } from 'node:module';
import { parser as lezerPromql } from '@prometheus-io/lezer-promql';

/**
 * In-process PromQL validation: the same two passes Prometheus' own editor runs.
 * - Syntax: the lezer-promql grammar; any error node is a syntax error.
 * - Types: codemirror-promql's analyser (function argument types, binary operands,
 *   aggregation parameters...). It reports nothing for an error at the very end of the
 *   input ("sum(up"), which the syntax pass catches: hence both.
 */
export interface PromqlDiagnostic {
  readonly kind: 'syntax' | 'type';
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

interface CodemirrorDiagnostic {
  readonly from: number;
  readonly to: number;
  readonly severity: string;
  readonly message: string;
}
interface AnalyserModules {
  readonly Parser: new (state: unknown) => { analyze(): void; getDiagnostics(): CodemirrorDiagnostic[] };
  readonly promQLLanguage: (top: string) => unknown;
  readonly EditorState: { create(config: { doc: string; extensions: unknown }): unknown };
  readonly ensureSyntaxTree: (state: unknown, upto: number, timeout?: number) => unknown;
}

// codemirror-promql's ESM build uses extensionless relative imports, which Node's ESM loader
// rejects; its CommonJS build loads fine. @codemirror/state and @codemirror/language must be
// the very instances it uses (facets are compared by identity), so they come from the same require.
let modules: AnalyserModules | undefined;
function analyser(): AnalyserModules {
  if (modules) return modules;
  const require = createRequire(import.meta.url);
  const { Parser } = require('@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js') as Pick<AnalyserModules, 'Parser'>;
  const { promQLLanguage } = require('@prometheus-io/codemirror-promql') as Pick<AnalyserModules, 'promQLLanguage'>;
  const { EditorState } = require('@codemirror/state') as Pick<AnalyserModules, 'EditorState'>;
  const { ensureSyntaxTree } = require('@codemirror/language') as Pick<AnalyserModules, 'ensureSyntaxTree'>;
  modules = { Parser, promQLLanguage, EditorState, ensureSyntaxTree };
  return modules;
}

function syntaxDiagnostics(expr: string): PromqlDiagnostic[] {
  const out: PromqlDiagnostic[] = [];
  lezerPromql.parse(expr).iterate({
    enter: (node) => {
      if (!node.type.isError) return;
      const near = expr.slice(Math.max(0, node.from - 20), node.to + 20);
      const where = node.from >= expr.length ? 'at the end of the expression' : `at offset ${node.from}`;
      out.push({ kind: 'syntax', from: node.from, to: node.to, message: `syntax error ${where} (near ${JSON.stringify(near)})` });
    },
  });
  return out;
}

function typeDiagnostics(expr: string): PromqlDiagnostic[] {
  const m = analyser();
  const state = m.EditorState.create({ doc: expr, extensions: m.promQLLanguage('PromQL') });
  // The editor parses lazily; force the whole document before analysing it. The parse works
  // against a wall-clock budget: on a starved machine it can stop short, and an analysis of a
  // partial tree reports type errors that are not there, so a parse that did not finish is an error.
  if (!m.ensureSyntaxTree(state, expr.length, 60_000)) throw new Error(`PromQL parse did not finish within 60 s (machine overloaded?): ${expr}`);
  const parser = new m.Parser(state);
  parser.analyze();
  return parser
    .getDiagnostics()
    .filter((d) => d.severity === 'error')
    .map((d) => ({ kind: 'type', from: d.from, to: d.to, message: `${d.message} (at ${JSON.stringify(expr.slice(d.from, d.to) || expr.slice(d.from, d.from + 20))})` }));
}

/** Every problem found in one PromQL expression; empty when Prometheus would accept it. */
export function validatePromql(expr: string): PromqlDiagnostic[] {
  if (expr.trim() === '') return [{ kind: 'syntax', from: 0, to: 0, message: 'empty expression' }];
  const syntax = syntaxDiagnostics(expr);
  const types = typeDiagnostics(expr);
  // A syntax error usually also yields type noise at the same place: keep the clearer one.
  return [...syntax, ...types.filter((t) => !syntax.some((s) => s.from === t.from))];
}
