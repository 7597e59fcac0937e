import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { readBundleValues } from '../../../src/reader/read.js';
import { checkInput } from '../../../src/validate/check.js';
import { alertIdentity } from '../../../src/validate/checks/alert-identity.js';
import { good, lint, model } from './rules.js';

describe('every alert has its own name and labels (mm2/alert-identity)', () => {
  it('accepts the generated bundle', () => {
    expect(alertIdentity.run(checkInput(readBundleValues(buildBundle(model), model), model))).toEqual([]);
  });

  it('rejects two alerts with the same name and labels', () => {
    expect(lint(alertIdentity, [good, { ...good, expr: 'b > 2' }])).toEqual([
      expect.stringMatching(/same name and labels as the alert in alerts\/test.rules.yaml group g: .* \(mm2\/alert-identity, bug\)$/),
    ]);
    expect(lint(alertIdentity, [good, { ...good, labels: { ...good.labels, severity: 'warning' } }])).toEqual([]);
  });
});
