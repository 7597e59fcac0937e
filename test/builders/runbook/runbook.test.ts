import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildRunbookFiles, MissingRunbookError, RUNBOOK_PATH } from '../../../src/builders/runbook/index.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { burnRateAlertName } from '../../../src/conventions/names.js';
import { prefixedPath, RULE_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import { sliConditionExprs } from '../../../src/model/sli.js';
import type { GeneratedFile } from '../../../src/reader/read.js';
import { type BundleFiles, readRules } from '../../../src/reader/read.js';

const readAlerts = (files: BundleFiles) => readRules(files).filter((r) => r.kind === 'alert');

const model = loadModel();
const bundle = buildBundle(model);
const files: GeneratedFile[] = [...bundle].map(([path, content]) => ({ path, content }));
const runbook = bundle.get(RUNBOOK_PATH)!;

/** The runbook split at its alert headings: heading text -> section body. */
function sections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = md.split(/^## /m).slice(1);
  for (const p of parts) out.set(p.slice(0, p.indexOf('\n')).trim(), p);
  return out;
}

describe('RUNBOOK.md', () => {
  const alerts = readAlerts(files);

  it('reads every alert of every rule file', () => {
    // The rule files hold the signal alerts and the burn-rate alerts; none is left out.
    expect(new Set(alerts.map((a) => a.file))).toEqual(new Set(RULE_FILES.filter((f) => bundle.get(f)!.includes('alert:'))));
    expect(alerts.length).toBe(RULE_FILES.reduce((n, f) => n + (bundle.get(f)!.match(/^\s+- alert: /gm) ?? []).length, 0));
  });

  it('has a section behind every runbook_url, with confirm, fix and escalate advice', () => {
    const bySection = sections(runbook);
    expect([...bySection.keys()]).toEqual(alerts.map((a) => a.name));
    for (const a of alerts) {
      const url = a.annotations.runbook_url!;
      expect(url.startsWith(`${model.prometheus.runbookBaseUrl}#`), `${a.name}: ${url}`).toBe(true);
      const fragment = url.slice(url.indexOf('#') + 1);
      expect(runbook, `${a.name}: anchor ${fragment}`).toContain(`<a id="${fragment}"></a>`);
      const body = bySection.get(a.name)!;
      // The anchor sits in the alert's own section, and GitHub's heading slug agrees with it.
      expect(body).toContain(`<a id="${fragment}"></a>`);
      expect(a.name.toLowerCase()).toBe(fragment);
      expect(body).toContain(a.expr);
      for (const part of ['How to confirm on the cluster', 'How to fix', 'When to escalate']) {
        expect(body, `${a.name}: ${part}`).toMatch(new RegExp(`\\*\\*${part}:\\*\\*\\n\\n(1\\.|-) \\S`));
      }
    }
    // Anchors are unique: two alerts never share a section.
    const anchors = [...runbook.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
    expect(new Set(anchors).size).toBe(anchors.length);
  });

  it('names the Connect REST calls on-call needs', () => {
    const failed = sections(runbook).get('MM2FailedTasksCritical')!;
    expect(failed).toContain('curl -s $CONNECT/connectors/<connector>/status');
    expect(failed).toMatch(/POST \$CONNECT\/connectors\/<connector>\/tasks\/<task>\/restart/);
  });

  it("shows no template a reader would see verbatim: an annotation's labels read as the runbook's placeholders", () => {
    expect(runbook).not.toMatch(/\{\{/);
    const byAlert = sections(runbook);
    for (const a of alerts) {
      for (const label of [...(a.annotations.summary ?? '').matchAll(/\{\{ \$labels\.(\w+) \}\}/g)].map((m) => m[1]!)) {
        expect(byAlert.get(a.name), `${a.name}: ${label}`).toContain(`\`<${label === 'instance' ? 'worker' : label}>\``);
      }
    }
  });

  it("starts each burn-rate section with the query of the SLI's raw conditions, and says which burn-rate alerts page", () => {
    const byAlert = sections(runbook);
    for (const a of model.sla.burnRateAlerts) {
      const body = byAlert.get(burnRateAlertName(a.name))!;
      const confirm = body.slice(body.indexOf('**How to confirm on the cluster:**'));
      // The first step: every condition the SLI counts, as the SLO's outage rule compares it, for each flow.
      const first = confirm.slice(0, confirm.indexOf('\n2. '));
      for (const f of model.flows) for (const c of sliConditionExprs(model, f)) expect(first, `${a.name}: ${c.signal.id}`).toContain(c.expr);
      const escalate = body.slice(body.indexOf('**When to escalate:**'));
      const paging = model.sla.burnRateAlerts.filter((x) => x.pages).map((x) => burnRateAlertName(x.name));
      expect(escalate).toContain(`${paging.join(' and ')} page`);
      for (const t of model.sla.burnRateAlerts.filter((x) => !x.pages)) expect(escalate).toContain(`${burnRateAlertName(t.name)} is a ticket`);
    }
  });

  it('says MirrorSourceConnector replicates the heartbeats topic whatever its topic filter', () => {
    const section = sections(runbook).get('MM2HeartbeatsReplicatedCritical')!;
    expect(section).toContain('replicates heartbeats topics whatever its `topics` and `topics.exclude` say');
    expect(section).not.toMatch(/put it back in the list/);
  });

  it('fails the build for an alert that has no runbook content', () => {
    const rogue: GeneratedFile = {
      path: 'alerts/team-extra.rules.yaml',
      content: stringify({
        groups: [
          {
            name: 'extra',
            rules: [
              {
                alert: 'MM2SomethingNew',
                expr: 'vector(1) > 0',
                labels: { severity: 'warning', signal: 'somethingNew' },
                annotations: { summary: 's', description: 'd', runbook_url: `${model.prometheus.runbookBaseUrl}#mm2somethingnew` },
              },
            ],
          },
        ],
      }),
    };
    expect(() => buildRunbookFiles(model, { rules: readRules([...files, rogue]) })).toThrow(MissingRunbookError);
    expect(() => buildRunbookFiles(model, { rules: readRules([...files, rogue]) })).toThrow(
      /team-extra\.rules\.yaml: alert MM2SomethingNew has signal label "somethingNew"/,
    );
  });

  it("names the Watchdog's own receiver and rule group, as the override file and the cluster's prefix make them", () => {
    const named = loadModel({
      prometheus: { cluster: 'paris-prod', job: 'mm2-connect-paris' },
      prefix: 'paris',
      alerting: {
        receivers: [
          { name: 'team-pager', webhook_configs: [{ url: 'http://127.0.0.1:9/pager' }] },
          { name: 'deadman-switch', webhook_configs: [{ url: 'http://127.0.0.1:9/deadman' }] },
        ],
        routes: { critical: 'team-pager', warning: 'team-pager', watchdog: 'deadman-switch' },
      },
    });
    const watchdog = sections(buildBundle(named).get(prefixedPath(named.prefix, RUNBOOK_PATH))!).get('MM2Watchdog')!;
    const group = readAlerts([...buildBundle(named)].map(([path, content]) => ({ path, content }))).find((a) => a.name === 'MM2Watchdog')!.group;
    expect(watchdog).toContain('its own receiver (`deadman-switch` in alertmanager.yaml)');
    expect(watchdog).toContain(`lists the \`${group}\` group`);
    expect(watchdog).not.toContain('<watchdog');
  });

  it('follows the configured base URL', () => {
    const base = 'https://git.example.internal/mm2/-/blob/main/alerts/RUNBOOK.md';
    const other = buildBundle(loadModel({ prometheus: { runbookBaseUrl: base } }));
    const otherAlerts = readAlerts([...other].map(([path, content]) => ({ path, content })));
    expect(otherAlerts.length).toBe(alerts.length);
    for (const a of otherAlerts) expect(a.annotations.runbook_url).toBe(`${base}#${a.name.toLowerCase()}`);
    expect(other.get(RUNBOOK_PATH)).toContain(base);
  });
});
