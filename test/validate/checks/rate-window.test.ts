import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { readBundleValues } from '../../../src/reader/read.js';
import { checkInput } from '../../../src/validate/check.js';
import { rateWindow } from '../../../src/validate/checks/rate-window.js';
import { good, lint, model } from './rules.js';

describe('range windows hold enough scrapes (mm2/rate-window)', () => {
  it('accepts a well-formed alert and the generated bundle', () => {
    expect(lint(rateWindow, [good])).toEqual([]);
    expect(rateWindow.run(checkInput(readBundleValues(buildBundle(model), model), model))).toEqual([]);
  });

  it('flags range windows shorter than 4 scrape intervals, in functions and subqueries', () => {
    expect(lint(rateWindow, [{ ...good, expr: 'sum(rate(x_total[30s])) > 1' }])).toEqual([
      expect.stringContaining(
        'rate(...[30s]): the window is shorter than 4 scrape intervals (60s); a missed scrape leaves too few samples (mm2/rate-window, bug)',
      ),
    ]);
    expect(lint(rateWindow, [{ record: 'r', expr: 'max_over_time(x[45s])' }])).toEqual([expect.stringContaining('record r: max_over_time(...[45s])')]);
    expect(lint(rateWindow, [{ record: 'r', expr: 'deriv(x[30s:15s])' }])).toHaveLength(1);
    expect(lint(rateWindow, [{ record: 'r', expr: 'increase(x_total[1m])' }])).toEqual([]);
  });
});
