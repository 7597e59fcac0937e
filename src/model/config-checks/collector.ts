import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';

/** What the Strimzi Metrics Reporter cannot do: run under an operator that writes the connectors, serve TLS or authentication. */
export function collectorProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.collector === 'strimzi-metrics-reporter' && config.connect.strimzi === 'kafkaMirrorMaker2') {
    problems.push({
      path: 'collector',
      message:
        "strimzi-metrics-reporter is not available with connect.strimzi kafkaMirrorMaker2: the operator writes the MM2 connectors, so the bundle cannot add the reporter's settings to them (their own metric.reporters, their consumer's and producers')",
    });
  }
  if (config.collector === 'strimzi-metrics-reporter') {
    for (const key of ['tls', 'basicAuth'] as const)
      if (config.exporter[key])
        problems.push({
          path: `exporter.${key}`,
          message: 'not available with collector strimzi-metrics-reporter: its listener (0.2.0) serves plain HTTP without authentication',
        });
  }
  return problems;
}
