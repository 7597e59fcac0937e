import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildBundle } from '../../src/bundle/bundle.js';
import { readBundleValues } from '../../src/reader/read.js';
import { CHECKS, validateBundle } from '../../src/validate/index.js';
import { good, model } from './checks/rules.js';

describe('the in-process checks', () => {
  it('each has an mm2/ id of its own, which a finding is looked up by', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^mm2\/[a-z-]+$/);
  });

  it('run as part of validateBundle', () => {
    const bundle = buildBundle(model);
    const scope = Object.entries(model.groupLabels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
    const bad = new Map([
      ...bundle,
      ['alerts/extra.rules.yaml', stringify({ groups: [{ name: 'x', rules: [{ ...good, expr: `up{${scope}} == 0`, for: '15s' }] }] })],
    ]);
    expect(validateBundle(readBundleValues(bad, model), model).filter((p) => p.file === 'alerts/extra.rules.yaml')).toEqual([
      expect.objectContaining({ check: 'mm2/up-absent-for', severity: 'bug', message: expect.stringContaining('reads up or absent() with for 15s') }),
    ]);
  });
});
