import { z } from 'zod';
import { DurationError, parseDuration } from '../conventions/duration.js';
import { RECEIVER_SCHEMA, ROUTES_SCHEMA } from './receivers.js';
import { SIGNAL_DEFS, SIGNAL_IDS, type SignalId } from './signals.js';

/**
 * The shape of the configuration, defaults and overrides alike. Objects are strict: an
 * unknown key is a typo, and a typo in a monitoring config is a silent hole.
 */
const duration = z
  .string({ error: 'expected a Prometheus duration such as 30s, 5m or 1h30m' })
  .transform((text, ctx) => {
    try {
      return parseDuration(text);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof DurationError ? e.message : String(e) });
      return z.NEVER;
    }
  })
  .meta({ title: 'Prometheus duration', examples: ['30s', '5m', '1h30m'] });

// Kafka cluster aliases and connector names end up in label values and regexes; Kafka allows
// more, but these are what the tuning guide and every MM2 setup we know use.
const kafkaName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-", starting with a letter or digit');
const labelValue = z
  .string()
  .min(1)
  .regex(/^[^"\\\n]+$/, 'expected a non-empty value without quotes, backslashes or newlines');
const hostname = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9a-fA-F:]+\]$/, 'expected a host name or IP address');
const port = z.number().int().min(1).max(65535);
const absolutePath = z.string().regex(/^\//, 'expected an absolute path');

const tier = z.strictObject({
  threshold: z
    .number()
    .finite()
    .describe(
      "Where the tier starts, in the signal's unit: bad at or above it (below it, for signals where low is bad), the same comparison as the panels' colour steps.",
    ),
  for: duration.describe("How long the value must stay bad before the alert fires (the alert's `for`)."),
});
// `false` switches a tier of the defaults off (no alert, no panel step, no audit row). A
// preprocess rather than a union, so that a wrong field inside a tier keeps its own error
// instead of a union's "invalid input"; config-schema.ts gives editors the union.
export const TIER_SCHEMA = tier;
export const TIER_OR_OFF_SCHEMA = z.preprocess((t) => (t === false ? undefined : t), tier.optional());
const tierOrOff = TIER_OR_OFF_SCHEMA;
const tiers = z.strictObject({ warning: tierOrOff, critical: tierOrOff });

/** Java's Character.isISOControl, which Connect's name validator applies. */
const isIsoControl = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return c <= 0x1f || (c >= 0x7f && c <= 0x9f);
};
// What Kafka Connect accepts as a connector name (ConnectorConfig: non-empty, no ISO control
// characters), less leading or trailing blanks, which a POST /connectors trims: the connector
// would then run under another name than the one the queries select.
const connectorName = z
  .string()
  .min(1, 'expected a connector name, got an empty string')
  .refine((n) => ![...n].some(isIsoControl), { message: 'expected a name without control characters (Kafka Connect refuses them)' })
  .refine((n) => n.trim() === n, {
    message: 'expected a name without leading or trailing blanks (POST /connectors trims them, so the connector would run under another name)',
  });

const connector = (defaultTasks: number) =>
  z.strictObject({
    name: connectorName
      .optional()
      .describe(
        "Name of the connector in Connect, when it is not the default (`<source>-to-<target>-<kind>`, or the operator's with connect.strimzi: kafkaMirrorMaker2): any name Connect accepts; every query selects the connector by this name, as JMX quotes it.",
      ),
    tasksMax: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(defaultTasks)
      .describe("The connector's tasks.max: written into connect/<connector>.json and used by the task panels (Kafka starts at most this many tasks)."),
  });

const flow = z.strictObject({
  source: kafkaName.describe(
    "Alias of the source cluster (MM2's `source.cluster.alias`): the `flow` label, connector names and remote topic names derive from it.",
  ),
  target: kafkaName.describe('Alias of the target cluster (`target.cluster.alias`).'),
  replicationPolicy: z
    .enum(['default', 'identity'])
    .default('default')
    .describe(
      "MM2's replication policy: `default` names remote topics `<source><separator><topic>` (the queries select a flow's topics by that prefix); `identity` keeps topic names (one flow per target cluster then).",
    ),
  separator: z.string().min(1).default('.').describe('`replication.policy.separator` of the default replication policy.'),
  connectors: z
    .strictObject({
      source: connector(1).default({ tasksMax: 1 }).describe('The MirrorSourceConnector: replicates the records.'),
      checkpoint: connector(1).default({ tasksMax: 1 }).describe('The MirrorCheckpointConnector: translates consumer group offsets.'),
      heartbeat: connector(1).default({ tasksMax: 1 }).describe('The MirrorHeartbeatConnector: emits the heartbeats that prove the flow end to end.'),
    })
    .default({ source: { tasksMax: 1 }, checkpoint: { tasksMax: 1 }, heartbeat: { tasksMax: 1 } })
    .describe("The flow's three connectors."),
  partitions: z
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .optional()
    .describe(
      'How many source partitions the flow replicates, when known: the build then works out the partitions each worker\'s collector serves (all workers up, and with one worker down) and warns when a scrape would come near the scrape timeout (README "Cost at scale").',
    ),
});

// Each signal's entry carries the signal's title, so that editors and the reference say what it measures.
const thresholdsShape = Object.fromEntries(
  SIGNAL_IDS.map((id) => [id, tiers.describe(`${SIGNAL_DEFS[id].title}, in ${SIGNAL_DEFS[id].unit}: its warning and critical tiers.`)]),
) as Record<SignalId, typeof tiers>;

/** Basic auth in front of the exporter: the password only ever as a hash (jmx_exporter httpServer.authentication). */
const exporterBasicAuth = z
  .strictObject({
    username: z.string().min(1).describe('User the exporter accepts.'),
    algorithm: z.enum(['SHA-256', 'SHA-512', 'PBKDF2WithHmacSHA256', 'PBKDF2WithHmacSHA512']).describe('Hash algorithm of passwordHash.'),
    passwordHash: z
      .string()
      .regex(/^[0-9a-fA-F:]+$/, 'expected the hex digest of the password, never the password')
      .describe('Hex digest of the password (never the password itself).'),
    salt: z.string().min(1).describe('Salt of the digest.'),
    iterations: z.number().int().min(1).optional().describe('PBKDF2 iterations (PBKDF2 algorithms only).'),
    keyLength: z.number().int().min(1).optional().describe('PBKDF2 key length in bits (PBKDF2 algorithms only).'),
  })
  .refine((a) => a.algorithm.startsWith('PBKDF2') || (a.iterations === undefined && a.keyLength === undefined), {
    message: 'iterations and keyLength apply to the PBKDF2 algorithms only',
    path: ['algorithm'],
  });
/** TLS on the exporter: the keystore password comes from an environment variable the exporter resolves. */
const exporterTls = z.strictObject({
  keyStoreFile: absolutePath.describe("Keystore of the exporter's certificate, on the worker."),
  keyStoreType: z.enum(['PKCS12', 'JKS']).default('PKCS12').describe('Keystore format.'),
  keyStorePasswordEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the name of an environment variable')
    .describe('Environment variable of the worker holding the keystore password (the exporter resolves it; the bundle holds no secret).'),
  certificateAlias: z.string().min(1).optional().describe('Alias of the certificate in the keystore, when it holds several.'),
});

/** How Prometheus authenticates to the exporters: files only, so no secret lands in the bundle. */
const scrapeTls = z.strictObject({
  caFile: absolutePath.describe("CA bundle Prometheus verifies the exporters' certificates with."),
  certFile: absolutePath.optional().describe('Client certificate, for exporters that require one.'),
  keyFile: absolutePath.optional().describe('Key of the client certificate.'),
  serverName: z.string().min(1).optional().describe("Name expected in the exporters' certificates, when it is not the worker host name."),
});
const scrapeBasicAuth = z.strictObject({
  username: z.string().min(1).describe('User Prometheus sends.'),
  passwordFile: absolutePath.describe('File on the Prometheus server holding the password.'),
});

// Kubernetes object names and label keys/values, as the API server accepts them.
const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a Kubernetes name: lower-case letters, digits and "-", at most 63 characters');
const k8sLabelKey = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    'expected a Kubernetes label key, e.g. "release" or "app.kubernetes.io/part-of"',
  );
const k8sLabelValue = z
  .string()
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'expected a Kubernetes label value: letters, digits, "-", "_", ".", at most 63 characters');
const k8sLabels = z.record(k8sLabelKey, k8sLabelValue);
/**
 * The opt-in Kubernetes manifests (kubernetes/): `true` for the defaults below, or the settings.
 * The defaults fit a Strimzi KafkaConnect (or KafkaMirrorMaker2) scraped by the Prometheus Operator.
 */
const kubernetesSettings = z.strictObject({
  namespace: k8sName.default('monitoring').describe('Namespace of the PrometheusRule and dashboard ConfigMaps.'),
  labels: k8sLabels
    .default({})
    .describe("Labels on every manifest: the operator's ruleSelector / podMonitorSelector match on them (e.g. release: kube-prometheus-stack)."),
  podSelector: k8sLabels
    .optional()
    .describe(
      'Labels of the Connect pods the PodMonitor selects (Strimzi labels every Connect pod with its kind). Default: `strimzi.io/kind: KafkaConnect`, or `KafkaMirrorMaker2` with connect.strimzi: kafkaMirrorMaker2.',
    ),
  connectNamespace: k8sName
    .optional()
    .describe("Namespace of the Connect pods: the PodMonitor looks there and the exporter rules' ConfigMap goes there. Default: `namespace`."),
  podMetricsPort: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, 'expected a container port name (IANA_SVC_NAME)')
    .default('tcp-prometheus')
    .describe("Name of the Connect container's exporter port (Strimzi names it tcp-prometheus)."),
  metricsConfigKey: z
    .string()
    .min(1)
    .default('metrics-config.yml')
    .describe('Key of the JMX exporter rules in their ConfigMap, as metricsConfig.valueFrom.configMapKeyRef names it.'),
});
/** The settings as the builders read them: the pod selector resolved from connect.strimzi when not set. */
export type KubernetesSettings = z.output<typeof kubernetesSettings> & { readonly podSelector: Readonly<Record<string, string>> };
export type StrimziKind = NonNullable<z.output<typeof ConfigSchema>['connect']['strimzi']>;
const kubernetesOutput = z
  .union([z.boolean(), kubernetesSettings])
  .default(false)
  .transform((v) => (v === false ? undefined : v === true ? kubernetesSettings.parse({}) : v));

/**
 * What serves the workers' metrics to Prometheus: the JMX exporter java agent reading Kafka's
 * MBeans through the generated rules, or the Strimzi Metrics Reporter, a Kafka MetricsReporter
 * serving Kafka's metrics registry directly (its names mapped to the label contract at scrape time).
 */
export const COLLECTORS = ['jmx-exporter', 'strimzi-metrics-reporter'] as const;
export type Collector = (typeof COLLECTORS)[number];

/** The version of the configuration format; a file without one is read as the current version. */
export const CONFIG_VERSION = 1;

/** Alert labels a team adds to every alert of the bundle (e.g. team, for routing); the bundle's own labels win. */
const alertLabelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name')
  .refine((n) => !['severity', 'signal', 'flow', 'alertname', 'mm2_bundle'].includes(n), {
    message: 'expected a label the bundle does not set itself (severity, signal, flow, alertname, mm2_bundle are its own)',
  });
const alertName = z.string().regex(/^MM2[A-Za-z0-9]+$/, 'expected an alert name of the bundle (MM2...)');

/**
 * What names a Connect cluster's outputs when several share one Prometheus, Alertmanager,
 * Grafana or Kubernetes namespace: rule files and groups, file_sd paths, Kubernetes objects.
 * Short, so that `<prefix>-<name>` stays a valid Kubernetes name.
 */
export const PREFIX_SCHEMA = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/,
    'expected lower-case letters, digits and "-", at most 32 characters, starting and ending with a letter or digit',
  );

export const ConfigSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION).optional().describe("Version of this file's format; a file without one is read as the current version."),
  alerting: z
    .strictObject({
      extraLabels: z
        .record(alertLabelName, labelValue)
        .default({})
        .describe(
          'Labels added to every alert (e.g. team, for Alertmanager routing); cannot set severity, signal, flow or alertname, which routing and the SLO read.',
        ),
      exclude: z
        .array(alertName)
        .default([])
        .describe(
          'Alerts of the bundle to leave out, by name; must name an alert the bundle makes. The SLO reads the signals, not the alerts: excluding an alert leaves the SLO as it is.',
        ),
      patch: z
        .record(
          alertName,
          z.strictObject({
            labels: z.record(alertLabelName, labelValue).optional().describe('Labels to add or change on this alert.'),
            annotations: z
              .record(
                z
                  .string()
                  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected an annotation name')
                  .refine((n) => n !== 'runbook_url', {
                    message: "expected an annotation other than runbook_url, which points at the alert's section of RUNBOOK.md",
                  }),
                z.string().min(1),
              )
              .optional()
              .describe('Annotations to add or change on this alert (not runbook_url).'),
          }),
        )
        .default({})
        .describe('Labels and annotations to change on an alert of the bundle, by name. Thresholds and `for` are changed under `thresholds`, never here.'),
      receivers: z
        .array(RECEIVER_SCHEMA)
        .default([])
        .describe(
          "Alertmanager receivers of the bundle's alerts, in Alertmanager's syntax, every secret as a file (`*_file`); none: loopback webhook placeholders, one per flow and severity.",
        ),
      routes: ROUTES_SCHEMA,
    })
    .default({ extraLabels: {}, exclude: [], patch: {}, receivers: [], routes: { flows: {}, clusters: {} } })
    .describe('Team-specific changes to the generated alerts (alerts/mm2-alerts.rules.yaml).'),
  sla: z
    .strictObject({
      maxDowntimePerYear: duration.describe(
        'The SLA: downtime allowed per year. The SLO objective, the error budget and the burn-rate alerts (alerts/mm2-slo.rules.yaml) derive from it.',
      ),
      sloPeriod: duration.describe('Window of the error budget (budget remaining panel, slowest burn tier).'),
    })
    .describe('The availability promise.'),
  prometheus: z
    .strictObject({
      job: labelValue.describe("`job` label of the workers' scrape job (scrape/prometheus.yml); every rule and panel selects this cluster's series by it."),
      cluster: labelValue.describe("`cluster` label set on every worker target; tells this Connect cluster's series from others' in a shared Prometheus."),
      scrapeInterval: duration.describe("Scrape interval of the workers' job; the shortest rate window and the promised detection times derive from it."),
      scrapeTimeout: duration.describe("Scrape timeout of the workers' job (at most the interval)."),
      evaluationInterval: duration.describe('Interval of the generated rule groups.'),
      rateWindow: duration.describe('Window of rate()/increase() in the signals: at least 4 scrape intervals.'),
      runbookBaseUrl: z
        .url({ protocol: /^https?$/ })
        .describe("Where alerts/RUNBOOK.md is served: each alert's runbook_url is this URL and the alert's anchor."),
      ruleFilesDir: absolutePath.describe('Directory where the Prometheus server finds the files of alerts/ (rule_files in scrape/prometheus.yml).'),
      // Prometheus parses a file_sd file by its extension, and the generated target list is JSON.
      fileSdPath: absolutePath
        .regex(/\.json$/, 'expected a path ending in .json (the generated target list is JSON)')
        .describe('Where the Prometheus server finds scrape/file-sd-targets.json (scrape/scrape-file-sd.yaml reads it).'),
      tls: scrapeTls.optional().describe('TLS from Prometheus to the exporters (with exporter.tls).'),
      basicAuth: scrapeBasicAuth.optional().describe('Basic auth from Prometheus to the exporters (with exporter.basicAuth).'),
      groupLabels: z
        .array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name'))
        .min(2)
        .describe(
          'Labels kept by every rule, alert and inhibition so that several Connect clusters can share one Prometheus; must hold cluster and job, any other needs a value in targetLabels.',
        ),
      targetLabels: z
        .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name'), labelValue)
        .describe('Extra static labels on every worker target (e.g. env: prod), usable as group labels.'),
      alertmanagers: z
        .array(z.string().regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\[[0-9a-fA-F:]+\]:[0-9]{1,5}$/, 'expected host:port of an Alertmanager'))
        .describe('host:port of the Alertmanagers Prometheus sends alerts to (the `alerting:` block of scrape/prometheus.yml); empty: none.'),
    })
    .describe('The Prometheus server that scrapes the workers and evaluates the rules.'),
  exporter: z
    .strictObject({
      port: port.describe(
        "Port of every worker's metrics endpoint: the JMX exporter agent's (the `-javaagent:...=<port>:` argument) or, with collector strimzi-metrics-reporter, the reporter's listener.",
      ),
      basicAuth: exporterBasicAuth.optional().describe('Basic auth required by the exporter (httpServer.authentication in scrape/jmx-exporter.yaml).'),
      tls: exporterTls.optional().describe('TLS served by the exporter (httpServer.ssl in scrape/jmx-exporter.yaml).'),
    })
    .describe("The workers' metrics endpoint (the JMX exporter agent, or the Strimzi Metrics Reporter's listener)."),
  collector: z
    .enum(COLLECTORS)
    .default('jmx-exporter')
    .describe(
      "What serves the workers' metrics: `jmx-exporter`, the JMX exporter java agent with scrape/jmx-exporter.yaml; or `strimzi-metrics-reporter`, the Strimzi Metrics Reporter 0.2.0, configured by the worker and connector settings the build writes into connect/, its series renamed to the label contract by the scrape job. The dashboards and alerts are the same for both.",
    ),
  connect: z
    .strictObject({
      kafkaCluster: kafkaName
        .optional()
        .describe(
          "Alias of the Kafka cluster the Connect workers are attached to (their bootstrap.servers). A flow into another cluster writes through producer.override.bootstrap.servers (the workers' connector.client.config.override.policy must allow it). Default: the first flow's target.",
        ),
      strimzi: z
        .enum(['kafkaConnect', 'kafkaMirrorMaker2'])
        .optional()
        .describe(
          "The Strimzi resource that runs the workers, if any: `kafkaMirrorMaker2` takes the operator's connector names (`<source>-><target>.MirrorSourceConnector`, ...), selects its pods (strimzi.io/kind: KafkaMirrorMaker2) and requires every flow's target to be connect.kafkaCluster (the operator's connectCluster); `kafkaConnect` selects KafkaConnect pods.",
        ),
      statusHold: duration.describe(
        'How long a state last reported by a worker Prometheus cannot scrape stays "unknown" before a connector with no other report counts as not running.',
      ),
      taskMemory: duration.describe(
        "How long a checkpoint connector's task some worker reported is expected to run: MirrorCheckpointConnector starts one task per consumer group (up to tasks.max, none without a group), so its count moves by itself. The source and heartbeat connectors' tasks stay expected until they are back.",
      ),
      startupGrace: duration.describe(
        "How long a worker whose exporter answers again, or whose JVM has just started, keeps its connectors' and tasks' last state as unknown (what it reports meanwhile, such as unassigned, does not count): a restarted worker serves metrics before it has rejoined its group and got its work back, which Connect may hold for scheduled.rebalance.max.delay.ms. Set it to that delay plus a task start at least.",
      ),
    })
    .describe('The Connect cluster: the Kafka cluster it is attached to, how it is deployed, and how the connector and task signals read its state.'),
  workers: z
    .array(
      z.strictObject({
        host: hostname.describe('Host name or IP address of the worker: a scrape target.'),
        port: port.optional().describe('Exporter port of this worker, when it is not exporter.port.'),
      }),
    )
    .min(1)
    .describe(
      'The Connect workers: the scrape targets (scrape/prometheus.yml, scrape/file-sd-targets.json) and the worker count the panels and alerts expect.',
    ),
  flows: z.array(flow).min(1).describe('The replication flows (source -> target): each gets its connectors, `flow` label, alerts and dashboard entries.'),
  thresholds: z
    .strictObject(thresholdsShape)
    .describe(
      "Warning and critical tiers of every signal: the alerts, the dashboards' threshold steps and the audit (alerts/THRESHOLDS.md) read the same values.",
    ),
  output: z
    .strictObject({
      dir: z.string().min(1).describe('Directory the build writes the bundle into (relative to the working directory); --out wins.'),
      kubernetes: kubernetesOutput.describe('Also write the Kubernetes manifests (kubernetes/): `true` for the defaults, or these settings.'),
    })
    .describe('Where and what the build writes.'),
  prefix: PREFIX_SCHEMA.optional().describe(
    "Names this bundle's outputs apart from another bundle's in the same Prometheus, Alertmanager, Grafana or namespace (`<prefix>-mm2-alerts.rules.yaml`, ...); none: the default names. With `clusters`, it names the shared outputs (dashboards, Alertmanager) only.",
  ),
});

/**
 * One Connect cluster of a file that describes several: what tells it apart (its labels, its
 * prefix, file_sd path and runbook), its workers and its flows. Everything else (SLA,
 * thresholds, alerting, receivers, intervals) is the file's, shared by all its clusters.
 */
const clusterEntry = z.strictObject({
  prefix: PREFIX_SCHEMA.optional().describe(
    'Names this cluster\'s rule files and groups, file_sd file, connector files and Kubernetes objects (default: the `cluster` label, folded to lower-case letters, digits and "-").',
  ),
  prometheus: ConfigSchema.shape.prometheus
    .pick({ job: true, cluster: true, fileSdPath: true, runbookBaseUrl: true, targetLabels: true })
    .partial()
    .required({ job: true, cluster: true })
    .describe(
      "This cluster's job and cluster labels (each distinct from the other clusters'), and optionally its file_sd path, runbook URL and target labels.",
    ),
  workers: ConfigSchema.shape.workers.optional().describe("This cluster's workers (default: the file's `workers`)."),
  flows: ConfigSchema.shape.flows.optional().describe("This cluster's flows (default: the file's `flows`)."),
  collector: z.enum(COLLECTORS).optional().describe("What serves this cluster's workers' metrics (default: the file's `collector`)."),
  connect: ConfigSchema.shape.connect
    .pick({ kafkaCluster: true, strimzi: true })
    .optional()
    .describe("This cluster's Kafka cluster and Strimzi resource (default: the file's `connect`)."),
});
export type ClusterEntry = z.output<typeof clusterEntry>;

/** An override file: the configuration of one Connect cluster, or shared settings and `clusters`. */
export const OverrideFileSchema = ConfigSchema.extend({
  clusters: z
    .array(clusterEntry)
    .min(1)
    .optional()
    .describe(
      'Several Connect clusters in one bundle (one Prometheus, one Alertmanager, one Grafana): each gets its own rule files, groups, file_sd file and Kubernetes objects, named by its prefix; dashboards and the Alertmanager configuration serve them all. The settings outside `clusters` are shared.',
    ),
});

export type ConfigInput = z.input<typeof ConfigSchema>;
export type Config = z.output<typeof ConfigSchema>;
