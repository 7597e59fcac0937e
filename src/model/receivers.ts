import { z } from 'zod';

/**
 * The Alertmanager receivers an override file declares, and which alerts go to which. The
 * receivers are written in Alertmanager's own syntax (`pagerduty_configs`, `routing_key_file`,
 * ...), so that a team copies them from Alertmanager's documentation, restricted to what can be
 * written without a secret: every credential is a file on the Alertmanager server (or, for the
 * Prometheus Operator, a key of a Secret mounted there), never a value in the bundle.
 */

const absolutePath = z.string().regex(/^\//, 'expected an absolute path');
const secretFile = (what: string) => absolutePath.describe(`File on the Alertmanager server holding ${what} (never the value itself).`);
const sendResolved = z.boolean().default(true).describe('Notify when the alert resolves too.');

const webhook = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .describe('Where Alertmanager POSTs the notifications. No credentials in it: put a token in http_config.authorization.credentials_file.'),
  send_resolved: sendResolved,
  max_alerts: z.number().int().min(0).optional().describe('Most alerts in one notification (0: all).'),
  http_config: z
    .strictObject({
      authorization: z
        .strictObject({
          type: z.string().min(1).default('Bearer').describe('Authorization scheme.'),
          credentials_file: secretFile('the token'),
        })
        .describe('An Authorization header, its token read from a file.'),
    })
    .optional()
    .describe('How Alertmanager authenticates to the webhook.'),
});

const slack = z.strictObject({
  api_url_file: secretFile('the Slack incoming-webhook URL'),
  channel: z.string().min(1).describe('Channel (or user) to post to, e.g. #mm2-alerts.'),
  send_resolved: sendResolved,
  title: z.string().min(1).optional().describe('Message title template (Alertmanager default otherwise).'),
  text: z.string().min(1).optional().describe('Message text template (Alertmanager default otherwise).'),
});

const pagerduty = z.strictObject({
  routing_key_file: secretFile('the PagerDuty Events API v2 integration (routing) key'),
  send_resolved: sendResolved,
  severity: z.string().min(1).optional().describe("PagerDuty severity template (default: Alertmanager's)."),
});

const email = z.strictObject({
  to: z.string().min(3).describe('Recipient address(es), comma-separated.'),
  from: z.string().min(3).describe('Sender address.'),
  smarthost: z
    .string()
    .regex(/^[^\s:]+:[0-9]{1,5}$/, 'expected host:port of the SMTP server')
    .describe('SMTP server, host:port.'),
  auth_username: z.string().min(1).optional().describe('SMTP user, when the server requires authentication (then auth_password_file too).'),
  auth_password_file: secretFile('the SMTP password').optional(),
  require_tls: z.boolean().optional().describe('Require STARTTLS (Alertmanager default: true).'),
  send_resolved: sendResolved,
});

const opsgenie = z.strictObject({
  api_key_file: secretFile('the OpsGenie API key'),
  api_url: z
    .url({ protocol: /^https$/ })
    .optional()
    .describe('OpsGenie API URL, e.g. the EU one (https://api.eu.opsgenie.com/).'),
  priority: z.string().min(1).optional().describe('Priority template, e.g. P1.'),
  send_resolved: sendResolved,
});

/** A receiver name, as routes and Alertmanager name it. */
export const receiverName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a receiver name: letters, digits, ".", "_" or "-"')
  .max(100);

export const RECEIVER_SCHEMA = z.strictObject({
  name: receiverName.describe('Name of the receiver: routes name it; unique in the Alertmanager configuration it is merged into.'),
  webhook_configs: z.array(webhook).min(1).optional().describe('Webhook notifications.'),
  slack_configs: z.array(slack).min(1).optional().describe('Slack notifications.'),
  pagerduty_configs: z.array(pagerduty).min(1).optional().describe('PagerDuty (Events API v2) notifications.'),
  email_configs: z.array(email).min(1).optional().describe('E-mail notifications.'),
  opsgenie_configs: z.array(opsgenie).min(1).optional().describe('OpsGenie notifications.'),
});
export type ReceiverSettings = z.output<typeof RECEIVER_SCHEMA>;
export const INTEGRATIONS = ['webhook_configs', 'slack_configs', 'pagerduty_configs', 'email_configs', 'opsgenie_configs'] as const;
export type Integration = (typeof INTEGRATIONS)[number];

/** Receivers by severity: the page and the ticket may go to different places. */
const bySeverity = z.strictObject({
  critical: receiverName.optional().describe('Receiver of the critical alerts (pages).'),
  warning: receiverName.optional().describe('Receiver of the warnings (tickets).'),
});
const flowRoutes = z
  .record(z.string().regex(/^[^\s]+->[^\s]+$/, 'expected a flow id "<source>-><target>"'), bySeverity.describe("Receivers of this flow's alerts, by severity."))
  .default({})
  .describe('Receivers of one flow\'s alerts, by flow id ("nemo->applicatif").');

export const ROUTES_SCHEMA = z
  .strictObject({
    default: receiverName.optional().describe('Receiver of every alert no other route below names (default: the only receiver, when one is declared).'),
    critical: receiverName.optional().describe('Receiver of the critical alerts no flow or cluster route names.'),
    warning: receiverName.optional().describe('Receiver of the warnings no flow or cluster route names.'),
    watchdog: receiverName
      .optional()
      .describe("Receiver of MM2Watchdog, which always fires: a dead man's switch service. Without one, it goes to a receiver that notifies nobody."),
    flows: flowRoutes,
    clusters: z
      .record(
        z.string().min(1),
        bySeverity.extend({ flows: flowRoutes }).describe("Receivers of one Connect cluster's alerts (by its `cluster` label), and of its flows."),
      )
      .default({})
      .describe('Receivers per Connect cluster, by `cluster` label: they win over `critical`/`warning`, a flow route wins over them.'),
  })
  .default({ flows: {}, clusters: {} })
  .describe('Which receiver gets which alert: per cluster and flow, then per flow, then per cluster, then by severity, then `default`. Only with `receivers`.');
export type RoutesSettings = z.output<typeof ROUTES_SCHEMA>;

/**
 * Where the Prometheus Operator mounts the Secrets an Alertmanager lists in `spec.secrets`:
 * a secret file there is a key of a Secret, which the AlertmanagerConfig references by name.
 */
export const OPERATOR_SECRETS_DIR = '/etc/alertmanager/secrets';

/** `/etc/alertmanager/secrets/<secret>/<key>` -> the Secret's name and key, else undefined. */
export function operatorSecret(path: string): { name: string; key: string } | undefined {
  const m = new RegExp(`^${OPERATOR_SECRETS_DIR}/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)/([-._a-zA-Z0-9]+)$`).exec(path);
  return m ? { name: m[1]!, key: m[3]! } : undefined;
}

/** Every secret file a receiver reads, with its field path under the receiver. */
export function secretFiles(r: ReceiverSettings): { path: string; file: string }[] {
  const each = <T>(configs: readonly T[] | undefined, key: Integration, field: string, file: (c: T) => string | undefined) =>
    (configs ?? []).flatMap((c, i) => {
      const f = file(c);
      return f === undefined ? [] : [{ path: `${key}[${i}].${field}`, file: f }];
    });
  return [
    ...each(r.webhook_configs, 'webhook_configs', 'http_config.authorization.credentials_file', (c) => c.http_config?.authorization.credentials_file),
    ...each(r.slack_configs, 'slack_configs', 'api_url_file', (c) => c.api_url_file),
    ...each(r.pagerduty_configs, 'pagerduty_configs', 'routing_key_file', (c) => c.routing_key_file),
    ...each(r.email_configs, 'email_configs', 'auth_password_file', (c) => c.auth_password_file),
    ...each(r.opsgenie_configs, 'opsgenie_configs', 'api_key_file', (c) => c.api_key_file),
  ];
}

/** What an override file must say instead of an inline secret, per integration and key. */
const INLINE_SECRETS: Record<Integration, Record<string, string>> = {
  webhook_configs: {
    'http_config.authorization.credentials': 'http_config.authorization.credentials_file',
    'http_config.bearer_token': 'http_config.authorization.credentials_file',
    'http_config.basic_auth': 'http_config.authorization.credentials_file',
  },
  slack_configs: { api_url: 'api_url_file' },
  pagerduty_configs: { routing_key: 'routing_key_file', service_key: 'routing_key_file' },
  email_configs: { auth_password: 'auth_password_file', auth_secret: 'auth_password_file' },
  opsgenie_configs: { api_key: 'api_key_file' },
};
/** The secret file each integration cannot work without (email's only with auth_username). */
const REQUIRED_SECRET: Partial<Record<Integration, { key: string; what: string }>> = {
  slack_configs: { key: 'api_url_file', what: 'the Slack incoming-webhook URL' },
  pagerduty_configs: { key: 'routing_key_file', what: 'the PagerDuty routing key' },
  opsgenie_configs: { key: 'api_key_file', what: 'the OpsGenie API key' },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function at(obj: unknown, dotted: string): unknown {
  let v = obj;
  for (const part of dotted.split('.')) v = isRecord(v) ? v[part] : undefined;
  return v;
}

/**
 * Secrets written in the file and secret files left out, said in the file's own terms before
 * the schema sees them: the schema alone would call an inline secret an unknown key.
 */
export function receiverSecretProblems(receivers: unknown, base: string): { path: string; message: string }[] {
  if (!Array.isArray(receivers)) return [];
  const problems: { path: string; message: string }[] = [];
  receivers.forEach((r, i) => {
    if (!isRecord(r)) return;
    for (const integration of INTEGRATIONS) {
      const configs = r[integration];
      if (!Array.isArray(configs)) continue;
      configs.forEach((c, j) => {
        if (!isRecord(c)) return;
        const where = `${base}[${i}].${integration}[${j}]`;
        for (const [key, instead] of Object.entries(INLINE_SECRETS[integration])) {
          if (at(c, key) === undefined) continue;
          problems.push({
            path: `${where}.${key}`,
            message: `a secret is never written in the override file (it would be copied into every generated file and its diffs): put it in a file on the Alertmanager server and name that file in \`${instead}\``,
          });
        }
        if (integration === 'webhook_configs' && typeof c['url'] === 'string') {
          try {
            const u = new URL(c['url']);
            if (u.username || u.password || u.search) {
              problems.push({
                path: `${where}.url`,
                message:
                  'expected a URL without credentials or query string (a token there would be copied into every generated file): put the token in a file and name it in `http_config.authorization.credentials_file`',
              });
            }
          } catch {
            // Not a URL: the schema says so.
          }
        }
        const required = REQUIRED_SECRET[integration];
        if (required && c[required.key] === undefined && !Object.keys(INLINE_SECRETS[integration]).some((k) => at(c, k) !== undefined)) {
          problems.push({
            path: `${where}.${required.key}`,
            message: `missing: expected the path of the file on the Alertmanager server that holds ${required.what} (e.g. ${OPERATOR_SECRETS_DIR}/mm2-receivers/${required.key.replace(/_file$/, '').replace(/_/g, '-')})`,
          });
        }
        if (integration === 'email_configs' && c['auth_username'] !== undefined && c['auth_password_file'] === undefined && c['auth_password'] === undefined) {
          problems.push({
            path: `${where}.auth_password_file`,
            message: 'missing: auth_username is set, so expected the path of the file on the Alertmanager server that holds the SMTP password',
          });
        }
      });
    }
  });
  return problems;
}
