import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../../src/conventions/labels.js';
import { signalAlertName } from '../../../src/conventions/names.js';
import { sortedEntries } from '../../../src/conventions/order.js';
import { ALERT_FILES } from '../../../src/documents/paths.js';
import { loadDeployment } from '../../../src/model/deployment.js';
import { type AlertmanagerServer, startAlertmanager } from '../../e2e/alertmanager-server.js';
import { WebhookSink } from '../../real-stack/webhook.js';

/**
 * The bundle's fragment merged, as the README says, into an Alertmanager configuration other
 * teams already route through (their receivers, routes, inhibitions, a catch-all receiver), then
 * checked by amtool and loaded by a real Alertmanager: the other teams' alerts keep their routes
 * and are never inhibited by the bundle's rules, even when they carry the same cluster label and
 * severities; the bundle's alerts reach the receivers the override file named.
 */
const CLUSTER = 'paris-prod';
const JOB = 'mm2-connect-paris';

let sink: WebhookSink;
let dir: string;
let am: AlertmanagerServer | undefined;
let merged: string;

/** The other teams' configuration, as it was before the bundle: their receivers post to the sink too. */
function existingConfig(port: number) {
  const hook = (name: string) => ({ name, webhook_configs: [{ url: `http://127.0.0.1:${port}/${name}`, send_resolved: true }] });
  return {
    route: {
      receiver: 'ops-default',
      group_by: ['alertname', 'cluster'],
      group_wait: '1s',
      group_interval: '1s',
      routes: [
        { receiver: 'kafka-pager', matchers: ['team="kafka"', 'severity="critical"'] },
        { receiver: 'infra-pager', matchers: ['severity="critical"'] },
      ],
    },
    inhibit_rules: [{ source_matchers: ['alertname="NodeDown"'], target_matchers: ['alertname="NodeDiskAlmostFull"'], equal: ['instance'] }],
    receivers: ['ops-default', 'kafka-pager', 'infra-pager'].map(hook),
  };
}

/** The override file of the MM2 team: its own receivers, a per-flow pager and a per-cluster chat. */
function override(port: number) {
  const hook = (name: string) => ({ name, webhook_configs: [{ url: `http://127.0.0.1:${port}/${name}` }] });
  return {
    prometheus: { cluster: CLUSTER, job: JOB },
    flows: [
      { source: 'nemo', target: 'applicatif' },
      { source: 'applicatif', target: 'nemo' },
    ],
    alerting: {
      receivers: [hook('mm2-pager'), hook('mm2-tickets'), hook('payments-pager'), hook('paris-chat'), hook('mm2-deadman')],
      routes: {
        critical: 'mm2-pager',
        warning: 'mm2-tickets',
        watchdog: 'mm2-deadman',
        flows: { 'nemo->applicatif': { critical: 'payments-pager' } },
        clusters: { [CLUSTER]: { warning: 'paris-chat' } },
      },
    },
  };
}

/** What the README tells a team to do with the fragment: its routes first, its receivers and inhibitions appended. */
function mergeFragment(base: ReturnType<typeof existingConfig>, fragment: { routes: unknown[]; receivers: unknown[]; inhibit_rules: unknown[] }) {
  return {
    ...base,
    route: { ...base.route, routes: [...fragment.routes, ...base.route.routes] },
    receivers: [...base.receivers, ...fragment.receivers],
    inhibit_rules: [...base.inhibit_rules, ...fragment.inhibit_rules],
  };
}

function amtool(args: string[]) {
  const r = spawnSync('amtool', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`amtool is needed (Debian package prometheus-alertmanager): ${r.error.message}`);
  return { status: r.status, stdout: r.stdout.trim(), output: `${r.stdout}${r.stderr}` };
}
const routedTo = (labels: Record<string, string>) =>
  amtool(['config', 'routes', 'test', `--config.file=${join(dir, 'alertmanager.yml')}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]).stdout;

const own = { [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE, cluster: CLUSTER, job: JOB };
const mm2 = (id: string, severity: 'critical' | 'warning', labels: Record<string, string>) => ({
  alertname: signalAlertName(id, severity),
  severity,
  signal: id,
  ...own,
  ...labels,
});
// Another team's alerts about the same Connect cluster's hosts: same cluster label, same severities.
const nodeDown = { alertname: 'NodeDown', severity: 'critical', cluster: CLUSTER, instance: 'connect-a:9100' };
const diskFull = { alertname: 'NodeDiskAlmostFull', severity: 'warning', cluster: CLUSTER, instance: 'connect-b:9100' };
// A warning of the same host as NodeDown, which no rule of that team relates to it.
const memoryHigh = { alertname: 'NodeMemoryHigh', severity: 'warning', cluster: CLUSTER, instance: 'connect-a:9100' };
const brokerDown = { alertname: 'KafkaBrokerDown', severity: 'critical', team: 'kafka', cluster: CLUSTER };

beforeAll(async () => {
  sink = await WebhookSink.listen();
  dir = mkdtempSync(join(tmpdir(), 'mm2-shared-am-'));
  const bundle = buildBundle(loadDeployment(override(sink.port), 'mm2-team.yaml'));
  const fragment = parse(bundle.get(ALERT_FILES.alertmanagerFragment)!);
  merged = stringify(mergeFragment(existingConfig(sink.port), fragment));
  writeFileSync(join(dir, 'alertmanager.yml'), merged);
  am = await startAlertmanager({ configFile: join(dir, 'alertmanager.yml'), storageDir: join(dir, 'data'), logFile: join(dir, 'am.log') });
}, 60_000);
afterAll(async () => {
  await am?.stop();
  await sink?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the bundle's fragment merged into an Alertmanager shared with other teams", () => {
  it('passes amtool check-config once merged', () => {
    const r = amtool(['check-config', join(dir, 'alertmanager.yml')]);
    expect(r.status, r.output).toBe(0);
  });

  it("leaves other teams' alerts on their own routes, whatever labels they share with the bundle's", () => {
    expect(routedTo(brokerDown)).toBe('kafka-pager');
    expect(routedTo(nodeDown)).toBe('infra-pager');
    expect(routedTo(diskFull)).toBe('ops-default');
    // Even an alert named like the bundle's, with its group labels: without the bundle's label it is not the bundle's.
    expect(routedTo({ ...mm2('workersUp', 'critical', {}), [BUNDLE_LABEL]: '' })).toBe('infra-pager');
  });

  it('routes the bundle alerts to the receivers the override file named: flow, then cluster, then severity', () => {
    expect(routedTo(mm2('replicationStalled', 'critical', { flow: 'nemo->applicatif' }))).toBe('payments-pager');
    expect(routedTo(mm2('replicationStalled', 'critical', { flow: 'applicatif->nemo' }))).toBe('mm2-pager');
    expect(routedTo(mm2('replicationLag', 'warning', { flow: 'nemo->applicatif' }))).toBe('paris-chat');
    expect(routedTo(mm2('workersUp', 'critical', {}))).toBe('mm2-pager');
    expect(routedTo({ ...own, alertname: 'MM2Watchdog', severity: 'none' })).toBe('mm2-deadman');
  });

  it("on a real Alertmanager, the bundle's inhibitions silence the bundle's warnings only, and its alerts reach its receivers", async () => {
    const since = Date.now();
    const mm2Critical = mm2('replicationLatencyMax', 'critical', { flow: 'nemo->applicatif', topic: 'nemo.payments' });
    const mm2Warning = mm2('replicationLatencyMax', 'warning', { flow: 'nemo->applicatif', topic: 'nemo.payments' });
    // A foreign warning with every label the bundle's critical-to-warning rule compares, at the same values as the MM2 critical.
    const lookalike = {
      alertname: 'ConnectDiskSlow',
      severity: 'warning',
      cluster: CLUSTER,
      job: JOB,
      flow: 'nemo->applicatif',
      signal: 'replicationLatencyMax',
      topic: 'nemo.payments',
    };
    const key = (l: Record<string, string>) => JSON.stringify(sortedEntries(l));
    const state = async () => new Map((await am!.alerts()).map((a) => [key(a.labels), a.status]));
    // The inhibiting alerts first, as Prometheus sends a critical that was already firing: on a
    // loaded machine a warning that reaches Alertmanager in the same batch can be flushed to its
    // receiver before the inhibitor has taken the critical in.
    await am!.post([mm2Critical, nodeDown, brokerDown]);
    for (let i = 0; i < 100 && !(await state()).has(key(mm2Critical)); i++) await new Promise((r) => setTimeout(r, 100));
    await am!.post([mm2Warning, lookalike, memoryHigh]);
    let s = await state();
    for (let i = 0; i < 100 && [...s.values()].some((v) => v.state === 'unprocessed'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await state();
    }
    expect(s.get(key(mm2Warning))?.inhibitedBy.length, 'the MM2 warning under its critical').toBeGreaterThan(0);
    expect(s.get(key(lookalike))?.inhibitedBy, "another team's warning with the MM2 critical's labels").toEqual([]);
    expect(s.get(key(memoryHigh))?.inhibitedBy, "another team's warning under that team's critical NodeDown").toEqual([]);
    expect(s.get(key(mm2Critical))?.inhibitedBy).toEqual([]);
    // Delivered: each alert to the receiver its route names, within the routes' group_wait.
    await waitUntil(() => {
      const got = new Set(sink.delivered(since, 'firing').map((d) => `${d.receiver} ${d.alertname}`));
      return [
        'payments-pager MM2ReplicationLatencyMaxCritical',
        'kafka-pager KafkaBrokerDown',
        'infra-pager NodeDown',
        'ops-default NodeMemoryHigh',
        'ops-default ConnectDiskSlow',
      ].every((x) => got.has(x));
    }, 60_000);
    const delivered = sink.delivered(since, 'firing').map((d) => `${d.receiver} ${d.alertname}`);
    expect(delivered).not.toContain('paris-chat MM2ReplicationLatencyMaxWarning');
    expect(delivered.filter((d) => d.startsWith('mm2-') || d.startsWith('payments-') || d.startsWith('paris-'))).toEqual([
      'payments-pager MM2ReplicationLatencyMaxCritical',
    ]);
  }, 90_000);
});

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not delivered within ${ms} ms: ${JSON.stringify(sink.notifications.map((n) => n.receiver))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
