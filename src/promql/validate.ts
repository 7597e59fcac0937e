import { createRequire } from 'node:module';
import { parsePromql } from './syntax.js';

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
  readonly Parser: new (state: EditorStateLike) => { analyze(): void; getDiagnostics(): CodemirrorDiagnostic[] };
  readonly promQLLanguage: (top: string) => unknown;
  readonly EditorState: { create(config: { doc: string; extensions: unknown }): EditorStateLike };
  readonly ensureSyntaxTree: (state: EditorStateLike, upto: number, timeout?: number) => unknown;
  readonly syntaxTreeAvailable: (state: EditorStateLike, upto?: number) => boolean;
}
interface EditorStateLike {
  update(spec: object): { readonly state: EditorStateLike };
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
  const { ensureSyntaxTree, syntaxTreeAvailable } = require('@codemirror/language') as Pick<AnalyserModules, 'ensureSyntaxTree' | 'syntaxTreeAvailable'>;
  modules = { Parser, promQLLanguage, EditorState, ensureSyntaxTree, syntaxTreeAvailable };
  return modules;
}

function syntaxDiagnostics(expr: string): PromqlDiagnostic[] {
  const out: PromqlDiagnostic[] = [];
  parsePromql(expr).iterate({
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
  const created = m.EditorState.create({ doc: expr, extensions: m.promQLLanguage('PromQL') });
  // The editor parses lazily, with a 20 ms budget when the state is created: on a busy machine
  // the analyser would read a partial tree and report type errors that are not there. Force
  // the whole document, then take a state that holds the finished tree (the analyser reads
  // the state's tree, which ensureSyntaxTree alone does not replace).
  if (!m.ensureSyntaxTree(created, expr.length, 10_000)) throw new Error(`PromQL analyser: could not parse within 10 s: ${expr}`);
  const state = created.update({}).state;
  if (!m.syntaxTreeAvailable(state, expr.length)) throw new Error(`PromQL analyser: parse tree incomplete: ${expr}`);
  const parser = new m.Parser(state);
  parser.analyze();
  return parser
    .getDiagnostics()
    .filter((d) => d.severity === 'error')
    .map((d) => ({
      kind: 'type',
      from: d.from,
      to: d.to,
      message: `${d.message} (at ${JSON.stringify(expr.slice(d.from, d.to) || expr.slice(d.from, d.from + 20))})`,
    }));
}

/** Every problem found in one PromQL expression; empty when Prometheus would accept it. */
export function validatePromql(expr: string): PromqlDiagnostic[] {
  if (expr.trim() === '') return [{ kind: 'syntax', from: 0, to: 0, message: 'empty expression' }];
  const syntax = syntaxDiagnostics(expr);
  const types = typeDiagnostics(expr);
  // A syntax error usually also yields type noise at the same place: keep the clearer one.
  return [...syntax, ...types.filter((t) => !syntax.some((s) => s.from === t.from))];
}
