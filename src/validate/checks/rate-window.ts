import { durationSeconds } from '../../conventions/duration.js';
import { children, nodeText, parsePromql, parseSelector, selectedName } from '../../promql/syntax.js';
import { defineCheck, type Finding } from '../check.js';

/**
 * Range windows of rate/increase/deriv/*_over_time span at least 4 scrape intervals, so that one
 * missed scrape never leaves a window with fewer than 2 samples. pint's promql/rate does this
 * only online, from a live server's configuration; this one reads the model's scrape interval.
 */

const WINDOWED_FUNCTIONS = /^(rate|irate|increase|deriv|delta|idelta|predict_linear|changes|resets|[a-z]+_over_time)$/;
const MIN_SCRAPES = 4;

/** Every [function, window] pair of one expression shorter than its minimum. */
function shortWindows(expr: string, minSeconds: number, minRecordedSeconds: number): string[] {
  const out: string[] = [];
  parsePromql(expr).iterate({
    enter: (ref) => {
      if (ref.name !== 'FunctionCall') return;
      const node = ref.node;
      const fn = node.getChild('FunctionIdentifier');
      const body = node.getChild('FunctionCallBody');
      if (!fn || !body) return;
      const name = nodeText(expr, fn);
      if (!WINDOWED_FUNCTIONS.test(name)) return;
      for (const arg of children(body)) {
        if (arg.name !== 'MatrixSelector' && arg.name !== 'SubqueryExpr') continue;
        const range = arg.getChild('DurationExpr');
        if (!range) continue;
        const window = nodeText(expr, range);
        // A recorded series (level:metric:op) is written at every evaluation, not scraped: one
        // evaluation interval of it holds a sample (the SLI's debounce reads two of them).
        const vector = arg.name === 'MatrixSelector' ? arg.getChild('VectorSelector') : null;
        const metric = vector ? (selectedName(parseSelector(expr, vector)) ?? '') : '';
        const min = metric.includes(':') ? minRecordedSeconds : minSeconds;
        if (durationSeconds(window) < min) out.push(`${name}(...[${window}])`);
      }
    },
  });
  return out;
}

export const rateWindow = defineCheck({
  id: 'mm2/rate-window',
  severity: 'bug',
  find: ({ rules, model }) => {
    const min = MIN_SCRAPES * durationSeconds(model.prometheus.scrapeInterval);
    const evaluation = durationSeconds(model.prometheus.evaluationInterval);
    return rules.flatMap((r): Finding[] =>
      shortWindows(r.expr, min, evaluation).map((w) => ({
        file: r.file,
        where: r.where,
        detail: `${w}: the window is shorter than ${MIN_SCRAPES} scrape intervals (${min}s); a missed scrape leaves too few samples`,
      })),
    );
  },
});
