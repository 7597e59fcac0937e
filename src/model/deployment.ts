import { OverrideFileSchema } from './config.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { loadModel } from './load.js';
import type { Deployment, Model } from './model.js';
import { isPlainObject, mergeOverride } from './override.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import { receiverSecretProblems } from './receivers.js';
import { routingProblems } from './routing.js';
import { zodProblems } from './schema-problems.js';

/**
 * Loads an override file that describes one Connect cluster (as the defaults do) or several
 * (`clusters`). Each cluster of a `clusters` file is the file's shared settings with its entry
 * merged over them, loaded and checked as a file of its own would be; then what only shows
 * with all of them at once (names two clusters would share, receivers and routes) is checked.
 */
export function loadDeployment(override?: unknown, source = 'defaults'): Deployment {
  if (!isPlainObject(override) || override['clusters'] === undefined) {
    const model = loadModel(override, source);
    const problems = routingProblems([model]);
    if (problems.length > 0) throw new ConfigError(source, problems);
    return { clusters: [model], prefix: model.prefix };
  }
  const secrets = isPlainObject(override['alerting']) ? receiverSecretProblems(override['alerting']['receivers'], 'alerting.receivers') : [];
  if (secrets.length > 0) throw new ConfigError(source, secrets);
  const parsed = OverrideFileSchema.safeParse(mergeOverride(DEFAULT_CONFIG, override), { reportInput: true });
  if (!parsed.success) throw new ConfigError(source, zodProblems(parsed.error));
  const { clusters: rawEntries, prefix: sharedPrefix, ...shared } = override as Record<string, unknown> & { clusters: unknown[] };
  const entries = parsed.data.clusters!;
  const problems: ConfigProblem[] = [];
  const models: Model[] = [];
  entries.forEach((entry, i) => {
    const raw = rawEntries[i] as Record<string, unknown>;
    const prefix = entry.prefix ?? clusterPrefix(entry.prometheus.cluster);
    if (prefix === undefined) {
      problems.push({
        path: `clusters[${i}].prefix`,
        message: `missing: the cluster label ${JSON.stringify(entry.prometheus.cluster)} does not fold into a prefix (lower-case letters, digits and "-", at most 32 characters): set one`,
      });
      return;
    }
    // The file's file_sd path and runbook are shared settings: each cluster's own takes its prefix.
    const own = isPlainObject(raw['prometheus']) ? raw['prometheus'] : {};
    const named = (path: string) => path.replace(/[^/]*$/, (file) => `${prefix}-${file}`);
    const paths = {
      ...(own['fileSdPath'] === undefined && { fileSdPath: named(parsed.data.prometheus.fileSdPath) }),
      ...(own['runbookBaseUrl'] === undefined && { runbookBaseUrl: named(parsed.data.prometheus.runbookBaseUrl) }),
    };
    try {
      models.push(loadModel(mergeOverride(shared, { ...raw, prefix, prometheus: { ...own, ...paths } }), source));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems.map((p) => ({ ...p, path: entryPath(p.path, raw, i) })));
    }
  });
  if (problems.length > 0) throw new ConfigError(source, dedupe(problems));
  const clusters = models as [Model, ...Model[]];
  const all = [
    ...collisionProblems(
      clusters,
      entries.map((e) => e.prefix !== undefined),
    ),
    ...routingProblems(clusters),
  ];
  if (all.length > 0) throw new ConfigError(source, all);
  return { clusters, prefix: typeof sharedPrefix === 'string' ? sharedPrefix : '' };
}

/** "Paris_Prod" -> "paris-prod"; undefined when nothing usable is left. */
function clusterPrefix(cluster: string): string | undefined {
  const folded = cluster
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(folded) ? folded : undefined;
}

/** A problem in what the cluster's entry set is reported at the entry; one in the shared settings where it is. */
function entryPath(path: string, raw: Record<string, unknown>, i: number): string {
  const [top, second] = path.split(/[.[]/);
  const own = top !== undefined && raw[top] !== undefined && (top !== 'prometheus' || (isPlainObject(raw[top]) && second !== undefined && second in raw[top]));
  return own ? `clusters[${i}].${path}` : path;
}

function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What two clusters of one bundle must not share: a prefix (every per-cluster file and object
 * name), a cluster label or a job (their series, and Prometheus' unique job names), a file_sd
 * file, a worker.
 */
function collisionProblems(clusters: readonly Model[], prefixSet: readonly boolean[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const keys: { what: string; path: string; of: (m: Model) => readonly string[]; fix: string }[] = [
    {
      what: 'prefix',
      path: 'prefix',
      of: (m) => [m.prefix],
      fix: 'their rule files, file_sd files, connector files and Kubernetes objects would overwrite each other: give each cluster its own `prefix`',
    },
    {
      what: 'cluster label',
      path: 'prometheus.cluster',
      of: (m) => [m.prometheus.cluster],
      fix: "their series would be one cluster's: give each its own `prometheus.cluster`",
    },
    {
      what: 'job',
      path: 'prometheus.job',
      of: (m) => [m.prometheus.job],
      fix: 'Prometheus needs a distinct job name per scrape job: give each its own `prometheus.job`',
    },
    {
      what: 'file_sd path',
      path: 'prometheus.fileSdPath',
      of: (m) => [m.prometheus.fileSdPath],
      fix: 'one target list would replace the other: give each its own `prometheus.fileSdPath`, or leave it to the prefix',
    },
    { what: 'worker', path: 'workers', of: (m) => m.workers.map((w) => w.instance), fix: 'a worker belongs to one Connect cluster' },
  ];
  for (const k of keys) {
    const first = new Map<string, number>();
    clusters.forEach((m, i) => {
      for (const value of k.of(m)) {
        const prev = first.get(value);
        if (prev === undefined) {
          first.set(value, i);
          continue;
        }
        const derived = k.what === 'prefix' && !prefixSet[i] ? ` (derived from its cluster label ${JSON.stringify(m.prometheus.cluster)})` : '';
        problems.push({ path: `clusters[${i}].${k.path}`, message: `${k.what} ${JSON.stringify(value)}${derived} is also clusters[${prev}]'s: ${k.fix}` });
      }
    });
  }
  return problems;
}
