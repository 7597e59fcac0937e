import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../../src/conventions/labels.js';
import { signalAlertName } from '../../../src/conventions/names.js';
import { sortedEntries } from '../../../src/conventions/order.js';
import { ALERT_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import { type AlertmanagerServer, startAlertmanager } from '../../e2e/alertmanager-server.js';

/**
 * On a real Alertmanager with the generated configuration: an inhibition
 * silences only what its source explains, in the same cluster, flow, connector and topic.
 */
const model = loadModel();
const content = buildBundle(model).get(ALERT_FILES.alertmanager)!;
const flow = model.flows[0]!.id;
const here = { ...model.groupLabels };
const elsewhere = { cluster: 'dr-cluster', job: 'mm2-connect-dr' };
const alert = (id: string, severity: 'warning' | 'critical', labels: Record<string, string>) => ({
  alertname: signalAlertName(id, severity),
  severity,
  signal: id,
  [BUNDLE_LABEL]: BUNDLE_LABEL_VALUE,
  ...labels,
});

let dir: string;
let am: AlertmanagerServer | undefined;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm2-inhibit-'));
  writeFileSync(join(dir, 'alertmanager.yaml'), content);
  am = await startAlertmanager({ configFile: join(dir, 'alertmanager.yaml'), storageDir: join(dir, 'data'), logFile: join(dir, 'am.log') });
}, 60_000);
afterAll(async () => {
  await am?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Posts the alerts and returns, per alertname+labels key, whether Alertmanager inhibits it (once it has processed them all). */
async function inhibition(alerts: Record<string, string>[]): Promise<Map<string, boolean>> {
  await am!.post(alerts);
  const key = (l: Record<string, string>) => JSON.stringify(sortedEntries(l));
  const wanted = new Set(alerts.map(key));
  for (let i = 0; i < 100; i++) {
    const got = (await am!.alerts()).filter((a) => wanted.has(key(a.labels)));
    if (got.length === wanted.size && got.every((a) => a.status.state !== 'unprocessed')) {
      return new Map(got.map((a) => [key(a.labels), a.status.inhibitedBy.length > 0]));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Alertmanager did not process the alerts');
}
const k = (l: Record<string, string>) => JSON.stringify(sortedEntries(l));

describe('an inhibition silences only what its source explains, on a real Alertmanager', () => {
  it("a critical on one topic does not silence the warning on another topic; it does silence its own topic's warning", async () => {
    const critA = alert('replicationLatencyMax', 'critical', { ...here, flow, topic: 'nemo.a' });
    const warnA = alert('replicationLatencyMax', 'warning', { ...here, flow, topic: 'nemo.a' });
    const warnB = alert('replicationLatencyMax', 'warning', { ...here, flow, topic: 'nemo.b' });
    const r = await inhibition([critA, warnA, warnB]);
    expect(r.get(k(warnA))).toBe(true);
    expect(r.get(k(warnB))).toBe(false);
    expect(r.get(k(critA))).toBe(false);
  });

  it("a Connect cluster down silences its own flows' alerts only, not another cluster's", async () => {
    const down = alert('workersUp', 'critical', { ...here });
    const mine = alert('replicationStalled', 'critical', { ...here, flow });
    const theirs = alert('replicationStalled', 'critical', { ...elsewhere, flow });
    const r = await inhibition([down, mine, theirs]);
    expect(r.get(k(mine))).toBe(true);
    expect(r.get(k(theirs))).toBe(false);
  });
});
