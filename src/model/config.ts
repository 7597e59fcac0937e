import { z } from 'zod';
import { DurationError, parseDuration } from './duration.js';
import { SIGNAL_IDS, type SignalId } from './signals.js';

/**
 * The shape of the configuration, defaults and overrides alike. Objects are strict: an
 * unknown key is a typo, and a typo in a monitoring config is a silent hole.
 */
const duration = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof DurationError ? e.message : String(e) });
    return z.NEVER;
  }
});

// Kafka cluster aliases and connector names end up in label values and regexes; Kafka allows
// more, but these are what the tuning guide and every MM2 setup we know use.
const kafkaName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-", starting with a letter or digit');
const labelValue = z.string().min(1).regex(/^[^"\\\n]+$/, 'expected a non-empty value without quotes, backslashes or newlines');
const hostname = z
  .string()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9a-fA-F:]+\]$/, 'expected a host name or IP address');
const port = z.number().int().min(1).max(65535);
const absolutePath = z.string().regex(/^\//, 'expected an absolute path');

const tier = z.strictObject({ threshold: z.number().finite(), for: duration });
// `false` switches a tier of the defaults off (no alert, no panel step, no audit row). A
// preprocess rather than a union, so that a wrong field inside a tier keeps its own error
// instead of a union's "invalid input"; config-schema.ts gives editors the union.
export const TIER_SCHEMA = tier;
export const TIER_OR_OFF_SCHEMA = z.preprocess((t) => (t === false ? undefined : t), tier.optional());
const tierOrOff = TIER_OR_OFF_SCHEMA;
const tiers = z.strictObject({ warning: tierOrOff, critical: tierOrOff });

const connector = (defaultTasks: number) =>
  z.strictObject({ name: kafkaName.optional(), tasksMax: z.number().int().min(1).max(1000).default(defaultTasks) });

const flow = z.strictObject({
  source: kafkaName,
  target: kafkaName,
  replicationPolicy: z.enum(['default', 'identity']).default('default'),
  separator: z.string().min(1).default('.'),
  connectors: z
    .strictObject({
      source: connector(1).default({ tasksMax: 1 }),
      checkpoint: connector(1).default({ tasksMax: 1 }),
      heartbeat: connector(1).default({ tasksMax: 1 }),
    })
    .default({ source: { tasksMax: 1 }, checkpoint: { tasksMax: 1 }, heartbeat: { tasksMax: 1 } }),
});

const thresholdsShape = Object.fromEntries(SIGNAL_IDS.map((id) => [id, tiers])) as Record<SignalId, typeof tiers>;

/** Basic auth in front of the exporter: the password only ever as a hash (jmx_exporter httpServer.authentication). */
const exporterBasicAuth = z
  .strictObject({
    username: z.string().min(1),
    algorithm: z.enum(['SHA-256', 'SHA-512', 'PBKDF2WithHmacSHA256', 'PBKDF2WithHmacSHA512']),
    passwordHash: z.string().regex(/^[0-9a-fA-F:]+$/, 'expected the hex digest of the password, never the password'),
    salt: z.string().min(1),
    iterations: z.number().int().min(1).optional(),
    keyLength: z.number().int().min(1).optional(),
  })
  .refine((a) => a.algorithm.startsWith('PBKDF2') || (a.iterations === undefined && a.keyLength === undefined), {
    message: 'iterations and keyLength apply to the PBKDF2 algorithms only',
    path: ['algorithm'],
  });
/** TLS on the exporter: the keystore password comes from an environment variable the exporter resolves. */
const exporterTls = z.strictObject({
  keyStoreFile: absolutePath,
  keyStoreType: z.enum(['PKCS12', 'JKS']).default('PKCS12'),
  keyStorePasswordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the name of an environment variable'),
  certificateAlias: z.string().min(1).optional(),
});

/** How Prometheus authenticates to the exporters: files only, so no secret lands in the bundle. */
const scrapeTls = z.strictObject({
  caFile: absolutePath,
  certFile: absolutePath.optional(),
  keyFile: absolutePath.optional(),
  serverName: z.string().min(1).optional(),
});
const scrapeBasicAuth = z.strictObject({ username: z.string().min(1), passwordFile: absolutePath });

// Kubernetes object names and label keys/values, as the API server accepts them.
const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a Kubernetes name: lower-case letters, digits and "-", at most 63 characters');
const k8sLabelKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'expected a Kubernetes label key, e.g. "release" or "app.kubernetes.io/part-of"');
const k8sLabelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'expected a Kubernetes label value: letters, digits, "-", "_", ".", at most 63 characters');
const k8sLabels = z.record(k8sLabelKey, k8sLabelValue);
/**
 * The opt-in Kubernetes manifests (kubernetes/): `true` for the defaults below, or the settings.
 * The defaults fit a Strimzi KafkaConnect (or KafkaMirrorMaker2) scraped by the Prometheus Operator.
 */
const kubernetesSettings = z.strictObject({
  namespace: k8sName.default('monitoring'),
  /** On every manifest: the operator's ruleSelector / podMonitorSelector match on them (e.g. release: kube-prometheus-stack). */
  labels: k8sLabels.default({}),
  /** Labels of the Connect pods the PodMonitor selects (Strimzi labels every Connect pod with its kind). */
  podSelector: k8sLabels.default({ 'strimzi.io/kind': 'KafkaConnect' }),
  /** Namespace of the Connect pods (of the KafkaConnect resource): the PodMonitor looks there and the exporter rules' ConfigMap goes there. Default: `namespace`. */
  connectNamespace: k8sName.optional(),
  /** Name of the Connect container's exporter port (Strimzi names it tcp-prometheus). */
  podMetricsPort: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, 'expected a container port name (IANA_SVC_NAME)').default('tcp-prometheus'),
  /** Key of the JMX exporter rules in their ConfigMap, as metricsConfig.valueFrom.configMapKeyRef names it. */
  metricsConfigKey: z.string().min(1).default('metrics-config.yml'),
});
export type KubernetesSettings = z.output<typeof kubernetesSettings>;
const kubernetesOutput = z
  .union([z.boolean(), kubernetesSettings])
  .default(false)
  .transform((v): KubernetesSettings | undefined => (v === false ? undefined : v === true ? kubernetesSettings.parse({}) : v));

/** The version of the configuration format; a file without one is read as the current version. */
export const CONFIG_VERSION = 1;

/** Alert labels a team adds to every alert of the bundle (e.g. team, for routing); the bundle's own labels win. */
const alertLabelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name')
  .refine((n) => !['severity', 'signal', 'flow', 'alertname'].includes(n), { message: 'expected a label the bundle does not set itself (severity, signal, flow, alertname are its own)' });

export const ConfigSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION).optional(),
  alerting: z
    .strictObject({
      extraLabels: z.record(alertLabelName, labelValue).default({}),
      /** Alerts of the bundle to leave out, by name (checked against the bundle's alerts at load). */
      exclude: z.array(z.string().regex(/^MM2[A-Za-z0-9]+$/, 'expected an alert name of the bundle (MM2...)')).default([]),
      /** Labels and annotations to change on an alert of the bundle, by name (runbook_url stays the runbook's). */
      patch: z
        .record(
          z.string().regex(/^MM2[A-Za-z0-9]+$/, 'expected an alert name of the bundle (MM2...)'),
          z.strictObject({
            labels: z.record(alertLabelName, labelValue).optional(),
            annotations: z
              .record(
                z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected an annotation name').refine((n) => n !== 'runbook_url', { message: 'expected an annotation other than runbook_url, which points at the alert\'s section of RUNBOOK.md' }),
                z.string().min(1),
              )
              .optional(),
          }),
        )
        .default({}),
    })
    .default({ extraLabels: {}, exclude: [], patch: {} }),
  sla: z.strictObject({ maxDowntimePerYear: duration, sloPeriod: duration }),
  prometheus: z.strictObject({
    job: labelValue,
    cluster: labelValue,
    scrapeInterval: duration,
    scrapeTimeout: duration,
    evaluationInterval: duration,
    rateWindow: duration,
    runbookBaseUrl: z.url({ protocol: /^https?$/ }),
    ruleFilesDir: absolutePath,
    // Prometheus parses a file_sd file by its extension, and the generated target list is JSON.
    fileSdPath: absolutePath.regex(/\.json$/, 'expected a path ending in .json (the generated target list is JSON)'),
    tls: scrapeTls.optional(),
    basicAuth: scrapeBasicAuth.optional(),
    /**
     * Labels that tell this Connect cluster's series from others' in a shared Prometheus: kept by
     * every rule, alert and inhibition. Must hold cluster and job; any other needs a value in targetLabels.
     */
    groupLabels: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name')).min(2),
    /** Extra static labels on every worker target (e.g. env: prod), usable as group labels. */
    targetLabels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a Prometheus label name'), labelValue),
    /** host:port of the Alertmanagers Prometheus sends alerts to (the `alerting:` block); empty: none. */
    alertmanagers: z.array(z.string().regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\[[0-9a-fA-F:]+\]:[0-9]{1,5}$/, 'expected host:port of an Alertmanager')),
  }),
  exporter: z.strictObject({
    port,
    basicAuth: exporterBasicAuth.optional(),
    tls: exporterTls.optional(),
  }),
  connect: z.strictObject({ statusHold: duration, taskMemory: duration }),
  workers: z.array(z.strictObject({ host: hostname, port: port.optional() })).min(1),
  flows: z.array(flow).min(1),
  thresholds: z.strictObject(thresholdsShape),
  output: z.strictObject({ dir: z.string().min(1), kubernetes: kubernetesOutput }),
});

export type ConfigInput = z.input<typeof ConfigSchema>;
export type Config = z.output<typeof ConfigSchema>;
