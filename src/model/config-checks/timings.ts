import { durationSeconds } from '../../conventions/duration.js';
import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';

/** Intervals measured against the scrape interval, so that a window always holds samples and one missed scrape stays harmless. */
export function timingProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const p = config.prometheus;
  if (durationSeconds(p.scrapeTimeout) > durationSeconds(p.scrapeInterval)) {
    problems.push({ path: 'prometheus.scrapeTimeout', message: `expected at most scrapeInterval (${p.scrapeInterval}), got ${p.scrapeTimeout}` });
  }
  if (durationSeconds(p.rateWindow) < 4 * durationSeconds(p.scrapeInterval)) {
    problems.push({
      path: 'prometheus.rateWindow',
      message: `expected at least 4 scrape intervals (${4 * durationSeconds(p.scrapeInterval)}s) so that rate() always has samples, got ${p.rateWindow}`,
    });
  }
  if (durationSeconds(config.connect.startupGrace) < 4 * durationSeconds(p.scrapeInterval)) {
    problems.push({
      path: 'connect.startupGrace',
      message: `expected at least 4 scrape intervals (${4 * durationSeconds(p.scrapeInterval)}s): a restarted worker is reachable once its exporter answered every scrape of it, got ${config.connect.startupGrace}`,
    });
  }
  if (durationSeconds(p.evaluationInterval) > 300) {
    problems.push({
      path: 'prometheus.evaluationInterval',
      message: `expected at most 5m (longer leaves gaps in recorded series), got ${p.evaluationInterval}`,
    });
  }
  return problems;
}
