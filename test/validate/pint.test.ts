import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildBundle } from '../../src/bundle/bundle.js';
import { RULE_FILES } from '../../src/documents/paths.js';
import { loadModel } from '../../src/model/load.js';
import { readRules } from '../../src/reader/read.js';
import { runExternalValidations } from '../../src/validate/external.js';
import { findPint, PINT_CONFIG, runPint } from '../../src/validate/pint.js';

/**
 * The real pint with the committed .pint.hcl. A missing pint fails (`.ci/run` installs it with
 * `go install`; locally: bash .ci/setup).
 */
const pint = findPint();
const dir = mkdtempSync(join(tmpdir(), 'mm2-pint-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function binary(): string {
  if (!pint) throw new Error('pint is needed: bash .ci/setup installs it (or set PINT to its path)');
  return pint;
}

function write(files: Iterable<[string, string]>, into: string): string[] {
  const paths: string[] = [];
  for (const [p, content] of files) {
    mkdirSync(dirname(join(into, p)), { recursive: true });
    writeFileSync(join(into, p), content);
    paths.push(p);
  }
  return paths;
}

const model = loadModel();
const bundle = buildBundle(model);
const good = {
  alert: 'MM2Good',
  expr: 'sum(rate(x_total[5m])) > 1',
  for: '2m',
  labels: { severity: 'critical', signal: 'x' },
  annotations: { summary: 'X is high.', description: 'X is {{ $value | humanize }}.', runbook_url: 'https://runbooks.example.com/mm2/RUNBOOK.md#mm2good' },
};

/** pint's findings on one extra rule file: [check, severity] pairs. */
function findings(name: string, groups: object[]): [string | undefined, string | undefined][] {
  const sub = join(dir, name);
  const files = write([[`alerts/${name}.rules.yaml`, stringify({ groups })]], sub);
  return runPint({ cwd: sub, files, binary: binary() }).map((p) => [p.check, p.severity]);
}
const group = (rules: object[], extra: object = {}) => [{ name: 'g', interval: '15s', ...extra, rules }];

describe('pint on the rule files', () => {
  it('finds nothing in the generated rule files', () => {
    const sub = join(dir, 'bundle');
    const files = write(
      RULE_FILES.map((f) => [f, bundle.get(f)!] as [string, string]),
      sub,
    );
    expect(runPint({ cwd: sub, files, binary: binary() })).toEqual([]);
  });

  it('accepts a well-formed alert', () => {
    expect(findings('good', group([good]))).toEqual([]);
  });

  it('requires summary, description and runbook_url (alerts/annotation), and runbook_url pointing at an alert section', () => {
    for (const a of ['summary', 'description', 'runbook_url'] as const) {
      const annotations: Record<string, string> = { ...good.annotations };
      delete annotations[a];
      expect(findings(`no-${a}`, group([{ ...good, annotations }]))).toEqual([['alerts/annotation', 'bug']]);
    }
    expect(findings('runbook-no-anchor', group([{ ...good, annotations: { ...good.annotations, runbook_url: 'https://runbooks.example.com/mm2' } }]))).toEqual([
      ['alerts/annotation', 'bug'],
    ]);
  });

  it('requires severity warning, critical, or none for the Watchdog (rule/label)', () => {
    expect(findings('sev-watchdog', group([{ ...good, labels: { severity: 'none' } }]))).toEqual([]);
    expect(findings('sev-page', group([{ ...good, labels: { severity: 'page' } }]))).toEqual([['rule/label', 'bug']]);
    expect(findings('sev-none', group([{ ...good, labels: {} }]))).toEqual([['rule/label', 'bug']]);
  });

  it('rejects $value in labels (alerts/template) and alerts without a condition (alerts/comparison)', () => {
    expect(findings('value-label', group([{ ...good, labels: { severity: 'warning', value: '{{ $value }}' } }]))).toContainEqual(['alerts/template', 'bug']);
    // A warning in pint's grading; `npm run check` fails on every finding, whatever its severity.
    expect(findings('no-condition', group([{ ...good, expr: 'sum(rate(x_total[5m]))' }]))).toEqual([['alerts/comparison', 'warning']]);
    expect(findings('bool', group([{ ...good, expr: 'sum(rate(x_total[5m])) > bool 1' }])).map(([check]) => check)).toContain('alerts/comparison');
  });

  it('flags group intervals above 5m (group/interval)', () => {
    expect(findings('interval', group([good], { interval: '10m' }))).toEqual([['group/interval', 'warning']]);
  });

  it('keeps cluster and job through aggregations of recording rules (promql/aggregate)', () => {
    expect(findings('aggregate', group([{ record: 'mm2_x:y:sum', expr: 'sum by (flow) (x)' }]))).toEqual([
      ['promql/aggregate', 'bug'],
      ['promql/aggregate', 'bug'],
    ]);
    expect(findings('aggregate-kept', group([{ record: 'mm2_x:y:sum', expr: 'sum by (flow, cluster, job) (x)' }]))).toEqual([]);
  });

  it('runs in npm run check, and a finding fails it with the check name and severity pint gives', () => {
    const bad = new Map([...bundle, ['alerts/extra.rules.yaml', stringify({ groups: group([{ ...good, labels: { severity: 'page' } }]) })]]);
    expect(runExternalValidations(bad)).toEqual([
      expect.objectContaining({ file: 'alerts/extra.rules.yaml', check: 'rule/label', severity: 'bug', message: expect.stringContaining('alert MM2Good') }),
    ]);
  });

  it('is looked up where go install puts it, and by $PINT', () => {
    expect(findPint({ PINT: binary() })).toBe(binary());
    expect(findPint({ GOBIN: dirname(binary()) })).toBe(binary());
  });

  it('.pint.hcl names only rules and metrics the bundle has, so an exemption cannot outlive its reason', () => {
    const hcl = readFileSync(PINT_CONFIG, 'utf8');
    const rules = readRules(bundle);
    const names = [...hcl.matchAll(/^\s*name\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names)
      expect(
        rules.some((r) => new RegExp(`^(?:${n})$`).test(r.name)),
        `rule name pattern ${n}`,
      ).toBe(true);
    const metrics = [...hcl.matchAll(/^\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"\s*=\s*\[/gm)].map((m) => m[1]!);
    expect(metrics.length).toBeGreaterThan(0);
    for (const m of metrics)
      expect(
        rules.some((r) => r.expr.includes(`${m}{`)),
        `metric ${m}`,
      ).toBe(true);
  });
});
