import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { readBundleValues } from '../../../src/reader/read.js';
import { checkInput } from '../../../src/validate/check.js';
import { upAbsentFor } from '../../../src/validate/checks/up-absent-for.js';
import { good, lint, model } from './rules.js';

describe('one failed scrape fires no alert (mm2/up-absent-for)', () => {
  it('accepts the generated bundle', () => {
    expect(upAbsentFor.run(checkInput(readBundleValues(buildBundle(model), model), model))).toEqual([]);
  });

  it('flags alerts on up or absent() that wait less than 2 scrape intervals', () => {
    expect(lint(upAbsentFor, [{ ...good, expr: 'up == 0', for: '15s' }])).toEqual([expect.stringContaining('reads up or absent() with for 15s')]);
    expect(lint(upAbsentFor, [{ ...good, expr: 'absent(up{job="j"}) == 1', for: undefined }])).toEqual([expect.stringContaining('with for 0s')]);
    expect(lint(upAbsentFor, [{ ...good, expr: 'up == 0', for: '30s' }])).toEqual([]);
    // Through a recording rule, as the bundle's workers-up alert reads it.
    const viaRecord = [
      { record: 'workers_up:count', expr: 'count(up == 1) or vector(0)' },
      { ...good, expr: 'workers_up:count < 1', for: '15s' },
    ];
    expect(lint(upAbsentFor, viaRecord)).toEqual([expect.stringContaining('alert MM2Good: reads up or absent() with for 15s')]);
  });
});
