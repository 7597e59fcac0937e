import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli, snapshot, tempDirs } from './helpers.js';

/**
 * Bad input of the receivers and of several clusters, through the CLI as a user meets it: exit
 * code 2, a message naming the file, the field and what to do, and nothing written.
 */
const tempDir = tempDirs('mm2-shared-env-cli-');

const pager = (file: Record<string, unknown>) => ({ name: 'mm2-pager', pagerduty_configs: [file] });
const cluster = (name: string, extra: Record<string, unknown> = {}) => ({ prometheus: { cluster: name, job: `mm2-${name}` }, ...extra });

const cases: { what: string; override: Record<string, unknown>; field: string; says: RegExp }[] = [
  {
    what: 'a receiver without its secret file',
    override: { alerting: { receivers: [pager({ send_resolved: true })] } },
    field: 'alerting.receivers[0].pagerduty_configs[0].routing_key_file',
    says: /missing: expected the path of the file on the Alertmanager server that holds the PagerDuty routing key/,
  },
  {
    what: 'a secret given inline',
    override: { alerting: { receivers: [{ name: 'mm2-chat', slack_configs: [{ api_url: 'https://hooks.slack.com/services/T0/B0/XXXX', channel: '#mm2' }] }] } },
    field: 'alerting.receivers[0].slack_configs[0].api_url',
    says: /a secret is never written in the override file.*name that file in `api_url_file`/,
  },
  {
    what: 'a token in a webhook URL',
    override: { alerting: { receivers: [{ name: 'mm2-hook', webhook_configs: [{ url: 'https://hooks.example.com/mm2?token=abc' }] }] } },
    field: 'alerting.receivers[0].webhook_configs[0].url',
    says: /without credentials or query string.*http_config.authorization.credentials_file/,
  },
  {
    what: 'a route naming a receiver the file does not declare',
    override: {
      alerting: { receivers: [pager({ routing_key_file: '/etc/am/pd' })], routes: { flows: { 'nemo->applicatif': { critical: 'mm2-pagr' } } } },
    },
    field: 'alerting.routes.flows.nemo->applicatif.critical',
    says: /expected the name of a receiver of alerting.receivers \("mm2-pager"\), got "mm2-pagr" \(did you mean "mm2-pager"\?\)/,
  },
  {
    what: 'a route for a flow the bundle does not have',
    override: { alerting: { receivers: [pager({ routing_key_file: '/etc/am/pd' })], routes: { flows: { 'nemo->applicatf': { critical: 'mm2-pager' } } } } },
    field: 'alerting.routes.flows.nemo->applicatf',
    says: /expected a flow of the bundle \("nemo->applicatif"\).*did you mean "nemo->applicatif"/,
  },
  {
    what: 'two clusters with the same prefix',
    override: { clusters: [cluster('paris-prod'), cluster('lyon-prod', { prefix: 'paris-prod' })] },
    field: 'clusters[1].prefix',
    says: /prefix "paris-prod" is also clusters\[0\]'s: .*give each cluster its own `prefix`/,
  },
  {
    what: 'two clusters whose cluster labels fold into the same prefix',
    override: { clusters: [cluster('Paris_Prod'), cluster('paris-prod', { workers: [{ host: 'other' }] })] },
    field: 'clusters[1].prefix',
    says: /derived from its cluster label "paris-prod"/,
  },
  {
    what: 'two clusters on one job',
    override: { clusters: [cluster('paris-prod'), { prometheus: { cluster: 'lyon-prod', job: 'mm2-paris-prod' }, workers: [{ host: 'lyon-1' }] }] },
    field: 'clusters[1].prometheus.job',
    says: /distinct job name per scrape job/,
  },
  {
    what: 'a secret file the Prometheus Operator cannot mount, with Kubernetes output',
    override: { output: { kubernetes: true }, alerting: { receivers: [pager({ routing_key_file: '/etc/am/pd' })] } },
    field: 'alerting.receivers[0].pagerduty_configs[0].routing_key_file',
    says: /expected \/etc\/alertmanager\/secrets\/<secret>\/<key> with output.kubernetes/,
  },
];

describe('bad receivers and clusters in the override file', () => {
  for (const c of cases) {
    it(`${c.what}: exit code 2, the file and the field named with what to do, nothing written`, () => {
      const dir = tempDir();
      const file = join(dir, 'team.yaml');
      writeFileSync(file, stringify(c.override));
      const out = join(dir, 'out');
      const r = runCli(['build', '--config', file, '--out', out, '--no-external']);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(`${file}: ${c.field}: `);
      expect(r.err).toMatch(c.says);
      expect(r.err).toContain('nothing was written');
      expect(snapshot(out).size).toBe(0);
    });
  }

  it('the same file with the secret in a file and distinct prefixes builds', () => {
    const dir = tempDir();
    const file = join(dir, 'team.yaml');
    writeFileSync(
      file,
      stringify({
        alerting: { receivers: [pager({ routing_key_file: '/etc/alertmanager/secrets/mm2/pagerduty' })] },
        clusters: [cluster('paris-prod', { workers: [{ host: 'paris-1' }] }), cluster('lyon-prod', { workers: [{ host: 'lyon-1' }] })],
      }),
    );
    const r = runCli(['build', '--config', file, '--out', join(dir, 'out'), '--no-external']);
    expect(r.code, r.err).toBe(0);
    const files = [...snapshot(join(dir, 'out')).keys()];
    expect(files).toContain('alerts/paris-prod-mm2-alerts.rules.yaml');
    expect(files).toContain('alerts/lyon-prod-mm2-alerts.rules.yaml');
    expect(files).toContain('scrape/lyon-prod-file-sd-targets.json');
    expect(files.filter((f) => f.startsWith('dashboards/') && f.endsWith('.json'))).toEqual([
      'dashboards/mm2-detailed-metrics.json',
      'dashboards/mm2-replication.json',
    ]);
  });
});
