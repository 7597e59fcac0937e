import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { BUNDLE_LABEL, BUNDLE_LABEL_VALUE } from '../../../src/conventions/labels.js';
import { signalAlertName } from '../../../src/conventions/names.js';
import { ALERT_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';

const twoFlows = loadModel({
  flows: [
    { source: 'nemo', target: 'applicatif' },
    { source: 'applicatif', target: 'nemo' },
  ],
});
const content = buildBundle(twoFlows).get(ALERT_FILES.alertmanager)!;
const dir = mkdtempSync(join(tmpdir(), 'mm2-am-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'alertmanager.yaml');
writeFileSync(file, content);

function amtool(args: string[]) {
  const r = spawnSync('amtool', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`amtool is needed (Debian package prometheus-alertmanager): ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, output: `${r.stdout}${r.stderr}` };
}

/** The receiver Alertmanager's own routing picks for a label set (an alert of the bundle: its label and group labels). */
const own = [`${BUNDLE_LABEL}=${BUNDLE_LABEL_VALUE}`, ...Object.entries(twoFlows.groupLabels).map(([k, v]) => `${k}=${v}`)];
const receiverFor = (labels: string[], config = file) => amtool(['config', 'routes', 'test', `--config.file=${config}`, ...own, ...labels]).stdout.trim();

describe('alertmanager.yaml', () => {
  it('passes amtool check-config', () => {
    const r = amtool(['check-config', file]);
    expect(r.status, r.output).toBe(0);
  });

  it('fails amtool check-config when broken (the check is real)', () => {
    const broken = join(dir, 'broken.yaml');
    const doc = parse(content) as { route: { receiver: string } };
    writeFileSync(broken, stringify({ ...doc, route: { ...doc.route, receiver: 'no-such-receiver' } }));
    expect(amtool(['check-config', broken]).status).not.toBe(0);
  });

  it('routes per flow and severity, cluster-wide alerts by severity', () => {
    expect(receiverFor(['flow=nemo->applicatif', 'severity=critical'])).toBe('mm2-nemo-applicatif-critical');
    expect(receiverFor(['flow=applicatif->nemo', 'severity=warning'])).toBe('mm2-applicatif-nemo-warning');
    expect(receiverFor([`alertname=${signalAlertName('workersUp', 'critical')}`, 'severity=critical'])).toBe('mm2-cluster-critical');
  });

  it('sends only to the loopback placeholder and holds no secret', () => {
    const urls = [...content.matchAll(/url: (\S+)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u.startsWith('http://127.0.0.1:')).toBe(true);
    expect(content).not.toMatch(/password|token|api_key|secret/i);
  });

  it("inhibits flow alerts while the whole cluster is down, and warnings under the same signal's critical", () => {
    const doc = parse(content) as { inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[] };
    const mine = `${BUNDLE_LABEL}="${BUNDLE_LABEL_VALUE}"`;
    expect(doc.inhibit_rules).toContainEqual({
      source_matchers: [mine, `alertname="${signalAlertName('workersUp', 'critical')}"`],
      target_matchers: [mine, 'flow=~".+"'],
      equal: ['cluster', 'job'],
    });
    expect(doc.inhibit_rules).toContainEqual({
      source_matchers: [mine, 'severity="critical"'],
      target_matchers: [mine, 'severity="warning"'],
      equal: ['cluster', 'job', 'flow', 'signal', 'connector', 'task', 'topic', 'instance'],
    });
  });
});
