import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../conventions/labels.js';
import { INTEGRATIONS, type Integration, operatorSecret } from '../../model/receivers.js';

/**
 * alertmanager.yaml's routes, receivers and inhibitions in the AlertmanagerConfig's terms
 * (monitoring.coreos.com/v1alpha1): camelCase keys, matchers as objects, each secret file a key
 * of the Secret the operator mounts at that path (the loader refuses any other path).
 */

type Json = Record<string, unknown>;

/** `name="value"` / `name=~"regex"` as the bundle writes matchers. */
function matcher(text: string): Json {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)(".*")$/.exec(text);
  if (!m) throw new Error(`unexpected Alertmanager matcher ${text}`);
  return { name: m[1], matchType: m[2], value: JSON.parse(m[3]!) as string };
}

function secret(file: unknown): Json {
  const ref = typeof file === 'string' ? operatorSecret(file) : undefined;
  if (!ref) throw new Error(`secret file ${String(file)} is not under the operator's secrets directory`);
  return ref;
}

function route(r: Json): Json {
  const out: Json = { receiver: r['receiver'] };
  if (Array.isArray(r['matchers'])) out['matchers'] = (r['matchers'] as string[]).map(matcher);
  if (r['group_by']) out['groupBy'] = r['group_by'];
  if (r['group_wait']) out['groupWait'] = r['group_wait'];
  if (r['group_interval']) out['groupInterval'] = r['group_interval'];
  if (r['repeat_interval']) out['repeatInterval'] = r['repeat_interval'];
  if (Array.isArray(r['routes'])) out['routes'] = (r['routes'] as Json[]).map(route);
  return out;
}

const CRD_KEY: Record<Integration, string> = {
  webhook_configs: 'webhookConfigs',
  slack_configs: 'slackConfigs',
  pagerduty_configs: 'pagerdutyConfigs',
  email_configs: 'emailConfigs',
  opsgenie_configs: 'opsgenieConfigs',
};

function integration(kind: Integration, c: Json): Json {
  const common = { sendResolved: c['send_resolved'] };
  switch (kind) {
    case 'webhook_configs': {
      const auth = (c['http_config'] as Json | undefined)?.['authorization'] as Json | undefined;
      return {
        url: c['url'],
        ...common,
        ...(c['max_alerts'] !== undefined && { maxAlerts: c['max_alerts'] }),
        ...(auth && { httpConfig: { authorization: { type: auth['type'], credentials: secret(auth['credentials_file']) } } }),
      };
    }
    case 'slack_configs':
      return { apiURL: secret(c['api_url_file']), channel: c['channel'], ...common, title: c['title'], text: c['text'] };
    case 'pagerduty_configs':
      return { routingKey: secret(c['routing_key_file']), ...common, severity: c['severity'] };
    case 'email_configs':
      return {
        to: c['to'],
        from: c['from'],
        smarthost: c['smarthost'],
        authUsername: c['auth_username'],
        ...(c['auth_password_file'] !== undefined && { authPassword: secret(c['auth_password_file']) }),
        requireTLS: c['require_tls'],
        ...common,
      };
    case 'opsgenie_configs':
      return { apiKey: secret(c['api_key_file']), apiURL: c['api_url'], priority: c['priority'], ...common };
  }
}

/** The spec of an AlertmanagerConfig from a standalone alertmanager.yaml of the bundle. */
export function alertmanagerConfigSpec(doc: Json): Json {
  const root = doc['route'] as Json;
  const receivers = (doc['receivers'] as Json[]).map((r) => {
    const out: Json = { name: r['name'] };
    for (const kind of INTEGRATIONS) {
      const configs = r[kind] as Json[] | undefined;
      if (configs) out[CRD_KEY[kind]] = configs.map((c) => integration(kind, c));
    }
    return out;
  });
  return {
    route: {
      receiver: root['receiver'],
      // Under the operator's route for the object's namespace: the bundle's alerts only.
      matchers: [{ name: BUNDLE_LABEL, matchType: '=', value: BUNDLE_LABEL_VALUE }],
      groupBy: root['group_by'],
      groupWait: root['group_wait'],
      groupInterval: root['group_interval'],
      repeatInterval: root['repeat_interval'],
      routes: (root['routes'] as Json[]).map(route),
    },
    receivers,
    inhibitRules: (doc['inhibit_rules'] as Json[]).map((r) => ({
      sourceMatch: (r['source_matchers'] as string[]).map(matcher),
      targetMatch: (r['target_matchers'] as string[]).map(matcher),
      equal: r['equal'],
    })),
  };
}
