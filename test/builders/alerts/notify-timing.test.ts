import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { NOTIFY_TIMING } from '../../../src/builders/alerts/alertmanager.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { durationSeconds } from '../../../src/conventions/duration.js';
import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../../src/conventions/labels.js';
import { signalAlertName } from '../../../src/conventions/names.js';
import { ALERT_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import { type AlertmanagerServer, startAlertmanager } from '../../e2e/alertmanager-server.js';
import { WebhookSink } from '../../real-stack/webhook.js';

/**
 * A page that fires again minutes after the previous one resolved, on a real Alertmanager with
 * the generated routing (timings unchanged; only the placeholder webhooks point at the test's
 * sink): Alertmanager keeps the alert's group after the resolution and sends what it holds at
 * the group's next tick, so the second page must leave within the route's group_wait, however
 * long ago the group was created.
 */
const model = loadModel();
const flow = model.flows[0]!.id;
const page = {
  alertname: signalAlertName('failedTasks', 'critical'),
  severity: 'critical',
  signal: 'failedTasks',
  flow,
  connector: model.flows[0]!.connectors.source.name,
  task: '1',
  ...model.groupLabels,
  [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE,
};
const groupWait = durationSeconds(NOTIFY_TIMING.critical.group_wait);
// Alertmanager's own scheduling and the webhook round trip.
const SLACK_SECONDS = 3;

let sink: WebhookSink;
let dir: string;
let am: AlertmanagerServer | undefined;

beforeAll(async () => {
  sink = await WebhookSink.listen();
  dir = mkdtempSync(join(tmpdir(), 'mm2-notify-timing-'));
  const doc = parse(buildBundle(model).get(ALERT_FILES.alertmanager)!) as { receivers: { name: string; webhook_configs?: { url: string }[] }[] };
  for (const r of doc.receivers) for (const w of r.webhook_configs ?? []) w.url = `http://127.0.0.1:${sink.port}/${r.name}`;
  writeFileSync(join(dir, 'alertmanager.yml'), stringify(doc));
  am = await startAlertmanager({ configFile: join(dir, 'alertmanager.yml'), storageDir: join(dir, 'data'), logFile: join(dir, 'am.log') });
}, 60_000);
afterAll(async () => {
  await am?.stop();
  await sink?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Seconds from `since` until the sink got the page with this status. */
async function notified(since: number, status: 'firing' | 'resolved', limitSeconds: number): Promise<number> {
  const deadline = since + limitSeconds * 1000;
  for (;;) {
    const d = sink.delivered(since, status).find((n) => n.alertname === page.alertname);
    if (d) return (d.at - since) / 1000;
    if (Date.now() > deadline) throw new Error(`no ${status} notification within ${limitSeconds} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Alertmanager timing of the generated routes', () => {
  it("a page's group ticks no slower than it waits: group_interval at most group_wait on every critical route", () => {
    const doc = parse(buildBundle(model).get(ALERT_FILES.alertmanager)!) as { route: Route };
    type Route = { matchers?: string[]; group_wait?: string; group_interval?: string; routes?: Route[] };
    const critical: Route[] = [];
    const walk = (r: Route) => {
      if (r.matchers?.includes('severity="critical"')) critical.push(r);
      for (const c of r.routes ?? []) walk(c);
    };
    walk(doc.route);
    expect(critical.length).toBe(model.flows.length + 1);
    for (const r of critical) expect(durationSeconds(r.group_interval!)).toBeLessThanOrEqual(durationSeconds(r.group_wait!));
  });

  it('a critical firing again right after its resolution was notified is paged within group_wait, not group_interval', async () => {
    // First outage: paged after group_wait.
    let since = Date.now();
    await am!.post([page], { startsAt: new Date(since) });
    expect(await notified(since, 'firing', groupWait + 30)).toBeLessThanOrEqual(groupWait + SLACK_SECONDS);
    // Resolved: the resolution goes out at the group's next tick; the group outlives it.
    since = Date.now();
    await am!.post([page], { startsAt: new Date(since - 60_000), endsAt: new Date(since) });
    await notified(since, 'resolved', 330);
    // The same page again while its group still exists: the next tick, no later than group_wait.
    since = Date.now();
    await am!.post([page], { startsAt: new Date(since) });
    expect(await notified(since, 'firing', 330)).toBeLessThanOrEqual(groupWait + SLACK_SECONDS);
  }, 240_000);
});
