import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';

/** Basic authentication and TLS set on both sides of the scrape or on neither. */
export function scrapeAuthProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.prometheus.basicAuth && !config.exporter.basicAuth) {
    problems.push({
      path: 'exporter.basicAuth',
      message: 'expected when prometheus.basicAuth is set: Prometheus would send credentials the exporter does not check',
    });
  }
  if (config.exporter.basicAuth && !config.prometheus.basicAuth) {
    problems.push({ path: 'prometheus.basicAuth', message: 'expected when exporter.basicAuth is set: Prometheus could not scrape the exporters' });
  }
  if (Boolean(config.exporter.tls) !== Boolean(config.prometheus.tls)) {
    problems.push({
      path: config.exporter.tls ? 'prometheus.tls' : 'exporter.tls',
      message: 'expected exporter.tls and prometheus.tls together: one side would speak TLS and the other plain HTTP',
    });
  }
  return problems;
}
