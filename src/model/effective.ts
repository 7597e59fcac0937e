import { Document, stringify } from 'yaml';
import { CONFIG_VERSION, OverrideFileSchema } from './config.js';
import { OVERRIDE_SCHEMA_PATH } from './config-schema.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { loadDeployment } from './deployment.js';
import { mergeOverride } from './override.js';
import { SEVERITIES } from './signals.js';

/**
 * The configuration in force, defaults merged with an override file, as YAML: what
 * `mm2-monitoring config` prints. It is loaded first, so a file the build would reject is
 * rejected here with the same errors. Tiers switched off print as `false`; opt-in outputs left off are absent.
 */
export function effectiveConfigYaml(override: unknown, source = 'defaults'): string {
  loadDeployment(override, source);
  const config = OverrideFileSchema.parse(override ? mergeOverride(DEFAULT_CONFIG, override) : DEFAULT_CONFIG);
  const { version: _version, ...settings } = config;
  // A tier of the defaults that is off prints as `false`, so that the printed file, loaded
  // again, is the same configuration (an absent tier would bring the default back).
  const thresholds: Record<string, Record<string, unknown>> = {};
  for (const [id, tiers] of Object.entries(settings.thresholds)) {
    const defaults = DEFAULT_CONFIG.thresholds[id as keyof typeof DEFAULT_CONFIG.thresholds] as Record<string, unknown>;
    thresholds[id] = { ...tiers };
    for (const severity of SEVERITIES) if (defaults[severity] && !tiers[severity]) thresholds[id][severity] = false;
  }
  settings.thresholds = thresholds as typeof settings.thresholds;
  const doc = new Document({ version: CONFIG_VERSION, ...settings }, { keepUndefined: false });
  doc.commentBefore = ` Effective mm2-monitoring configuration: defaults${override ? ` + ${source}` : ''}.`;
  return doc.toString({ lineWidth: 0 });
}

/**
 * A starter override file: the format version and the settings most environments change, as
 * comments to uncomment. It loads as it is (it changes nothing until edited).
 */
export function starterOverrideYaml(): string {
  const d = DEFAULT_CONFIG;
  const example = {
    prometheus: { job: d.prometheus.job, cluster: d.prometheus.cluster, runbookBaseUrl: d.prometheus.runbookBaseUrl },
    workers: d.workers,
    // The Kafka cluster the Connect workers are attached to: flows into another one write there through producer overrides.
    connect: { kafkaCluster: d.flows[0]!.target },
    flows: d.flows,
    thresholds: {
      replicationLatencyAvg: {
        critical: { threshold: d.thresholds.replicationLatencyAvg.critical.threshold, for: d.thresholds.replicationLatencyAvg.critical.for },
      },
    },
    alerting: { extraLabels: { team: 'my-team' } },
    output: { dir: d.output.dir, kubernetes: false },
  };
  const doc = new Document({ version: CONFIG_VERSION });
  doc.commentBefore = [
    ` yaml-language-server: $schema=./${OVERRIDE_SCHEMA_PATH}`,
    ' mm2-monitoring override file: only what differs from the defaults (src/model/defaults.ts).',
    ' Mappings merge key by key; lists (workers, flows) replace the default list.',
    ' Build with: npx mm2-monitoring build --config <this file>',
  ].join('\n');
  doc.comment = [
    ' The defaults of the settings most environments change; uncomment and edit:',
    ...stringify(example, { lineWidth: 0 })
      .trimEnd()
      .split('\n')
      .map((l) => ` ${l}`),
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
