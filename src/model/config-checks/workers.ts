import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';

/** No worker scraped twice (host and exporter port). */
export function workerProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenWorkers = new Map<string, number>();
  config.workers.forEach((w, i) => {
    const instance = `${w.host}:${w.port ?? config.exporter.port}`;
    const prev = seenWorkers.get(instance);
    if (prev !== undefined) problems.push({ path: `workers[${i}]`, message: `duplicate worker ${instance} (already workers[${prev}])` });
    seenWorkers.set(instance, i);
  });
  return problems;
}
