import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { DASHBOARD_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import { readBundleValues, sampleVariableValues } from '../../../src/reader/read.js';
import { checkInput } from '../../../src/validate/check.js';
import { promqlSyntax } from '../../../src/validate/checks/promql-syntax.js';

const model = loadModel();
const bundle = buildBundle(model);
const promqlProblems = (b: ReadonlyMap<string, string>, m: typeof model) => promqlSyntax.run(checkInput(readBundleValues(b, m), m));

/** The bundle with one dashboard panel query replaced. */
function withPanelQuery(expr: string): Map<string, string> {
  const file = DASHBOARD_FILES.detailed;
  const doc = JSON.parse(bundle.get(file)!) as { panels: { type: string; title: string; targets?: { expr: string }[] }[] };
  const panel = doc.panels.find((p) => p.type !== 'row')!;
  panel.targets![0]!.expr = expr;
  return new Map([...bundle, [file, JSON.stringify(doc)]]);
}

describe('PromQL syntax and types of every query (mm2/promql-syntax)', () => {
  it('finds nothing wrong in the generated bundle', () => {
    expect(promqlProblems(bundle, model)).toEqual([]);
  });

  it('names the file, the panel and the substituted expression of a broken panel query', () => {
    const problems = promqlProblems(withPanelQuery('rate(up{instance=~"$instance"})'), model);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe(DASHBOARD_FILES.detailed);
    expect(problems[0]!.message).toMatch(/panel ".+", query A: PromQL type error/);
    expect(problems[0]!.message).toContain(`instance=~"${sampleVariableValues(model).instance}"`);
  });

  it('reports an unterminated panel query', () => {
    expect(promqlProblems(withPanelQuery('sum(up'), model).map((p) => p.message)).toEqual([expect.stringMatching(/syntax error at the end/)]);
  });

  it('checks rule files too', () => {
    const file = [...bundle.keys()].find((f) => f.startsWith('alerts/') && f.endsWith('.yaml') && bundle.get(f)!.includes('groups:'))!;
    const broken = bundle.get(file)!.replace(/expr: (.+)/, 'expr: sum(rate($1))');
    const problems = promqlProblems(new Map([...bundle, [file, broken]]), model);
    expect(problems.map((p) => p.file)).toContain(file);
  });
});
