import { stringify } from 'yaml';
import { loadModel } from '../../../src/model/load.js';
import { readBundleValues } from '../../../src/reader/read.js';
import { type Check, checkInput } from '../../../src/validate/check.js';

export const model = loadModel();

/** An alert every rule check accepts. */
export const good = {
  alert: 'MM2Good',
  expr: 'sum(rate(x_total[5m])) > 1',
  for: '2m',
  labels: { severity: 'critical', signal: 'x' },
  annotations: { summary: 'X is high.', description: 'X is {{ $value }}.', runbook_url: 'https://runbooks.example.com/mm2#x' },
};

/** A one-file bundle with one group holding the given rules. */
export function ruleBundle(rules: object[], group: object = {}): Map<string, string> {
  return new Map([['alerts/test.rules.yaml', stringify({ groups: [{ name: 'g', interval: '15s', ...group, rules }] })]]);
}

/** The messages of one check on a one-file bundle with the given rules. */
export function lint(check: Check, rules: object[], m = model): string[] {
  return check.run(checkInput(readBundleValues(ruleBundle(rules), m), m)).map((p) => p.message);
}
