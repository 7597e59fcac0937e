import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dashboardUid, UID_MAX_LENGTH } from '../../../src/builders/dashboards/identity.js';
import { PROVIDER_FILE } from '../../../src/builders/dashboards/provider.js';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { DASHBOARDS } from '../../../src/conventions/dashboards.js';
import { SLO_SERIES } from '../../../src/conventions/names.js';
import { DASHBOARD_FILES } from '../../../src/documents/paths.js';
import { METRICS } from '../../../src/metrics/names.js';
import { loadModel } from '../../../src/model/load.js';
import type { Model } from '../../../src/model/model.js';
import { SIGNAL_DEFS } from '../../../src/model/signals.js';
import { substituteGrafanaVariables } from '../../../src/promql/grafana.js';
import { validatePromql } from '../../../src/promql/validate.js';
import { grafanaSubstitution, readBundleValues, sampleVariableValues } from '../../../src/reader/read.js';
import { checkInput } from '../../../src/validate/check.js';
import { seriesExist } from '../../../src/validate/checks/series-exist.js';

interface Target {
  expr?: string;
  refId?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id?: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  fieldConfig?: {
    defaults?: { unit?: string; thresholds?: { mode: string; steps: Step[] } };
    overrides?: { matcher: { id: string; options?: string }; properties: { id: string; value?: { steps?: Step[] } }[] }[];
  };
  options?: { reduceOptions?: { calcs?: string[] } };
}
interface Step {
  value: number | null;
  color: string;
}
interface Variable {
  name: string;
  type: string;
  label?: string;
  query?: unknown;
}
interface Dashboard {
  title: string;
  uid: string;
  tags: string[];
  links: { url?: string }[];
  panels: Panel[];
  templating: { list: Variable[] };
}

const model = loadModel();
const bundle = buildBundle(model);
const FILES = Object.values(DASHBOARD_FILES);

function dashboardsOf(m: Model): Record<string, Dashboard> {
  const b = buildBundle(m);
  return Object.fromEntries(FILES.map((f) => [f, JSON.parse(b.get(f)!) as Dashboard]));
}
const dashboards = dashboardsOf(model);
const allDashboards = Object.entries(dashboards);

const panelsOf = (d: Dashboard) => d.panels.filter((p) => p.type !== 'row');

function substituted(m: Model, expr: string): string {
  return substituteGrafanaVariables(expr, grafanaSubstitution(m));
}

/** Every panel query of every dashboard, as Prometheus would receive it. */
const queries = allDashboards.flatMap(([file, d]) =>
  panelsOf(d).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `${file}: panel ${p.id} "${p.title}" ${t.refId}`, raw: t.expr!, expr: substituted(model, t.expr!) })),
  ),
);

/** The selector inside a label_values() variable query, substituted. */
const variableSelectors = allDashboards.flatMap(([file, d]) =>
  d.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => {
      const m = /^label_values\((.*), *[a-zA-Z_]+\)$/.exec(String(v.query));
      expect(m, `${file}: variable ${v.name}: ${String(v.query)}`).not.toBeNull();
      return { where: `${file}: variable ${v.name}`, expr: substituted(model, m![1]!) };
    }),
);

/** Grafana's colour for a value: the last step whose value it reaches. */
function colourAt(steps: readonly { value: number | null; color: string }[], x: number): string {
  let colour = steps[0]!.color;
  for (const s of steps.slice(1)) if (s.value !== null && x >= s.value) colour = s.color;
  return colour;
}

/** record name -> severity -> the threshold the alert compares the record with, read back from the generated rules. */
function alertThresholds(m: Model): Map<string, { severity: string; op: string; threshold: number }[]> {
  type RuleFile = { groups?: { rules: { alert?: string; expr: string; labels?: { severity?: string } }[] }[] } | null;
  const files = [...buildBundle(m)].filter(([f]) => f.startsWith('alerts/') && f.endsWith('.yaml')).map(([, c]) => parse(c) as RuleFile);
  const out = new Map<string, { severity: string; op: string; threshold: number }[]>();
  for (const r of files.flatMap((doc) => (doc?.groups ?? []).flatMap((g) => g.rules))) {
    // A sparse signal's alert reads the record's last value over a window: last_over_time(record{...}[5m]) >= t.
    const match = r.alert ? /^(?:last_over_time\()?([a-z_:0-9]+)(?:\{[^}]*\})?(?:\[[0-9a-z]+\]\))? (>=|<) ([0-9.e+-]+)$/.exec(r.expr.trim()) : null;
    if (!match) continue;
    out.set(match[1]!, [...(out.get(match[1]!) ?? []), { severity: r.labels!.severity!, op: match[2]!, threshold: Number(match[3]) }]);
  }
  return out;
}

/** Panels of the SLA view whose query reads exactly one alerted recorded series, with that series' alerts. */
function alertedPanels(m: Model) {
  const alerts = alertThresholds(m);
  return [dashboardsOf(m)[DASHBOARD_FILES.replication]!].flatMap((d) =>
    panelsOf(d).flatMap((p) => {
      const records = [...alerts.keys()].filter((r) => (p.targets ?? []).some((t) => t.expr!.includes(`${r}{`) || t.expr!.endsWith(r)));
      return records.length === 1 ? [{ panel: p, record: records[0]!, alerts: alerts.get(records[0]!)! }] : [];
    }),
  );
}

describe('dashboard queries', () => {
  it('pass syntax and type validation after substituting the variables', () => {
    expect(queries.length).toBeGreaterThan(40);
    const problems = [...queries, ...variableSelectors].flatMap((q) => validatePromql(q.expr).map((d) => `${q.where}: ${d.message}\n  ${q.expr}`));
    expect(problems).toEqual([]);
  });

  it('are accepted by promtool check rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm2-dash-promql-'));
    try {
      const file = join(dir, 'panels.rules.yaml');
      const rules = [...queries, ...variableSelectors].map((q, i) => ({ record: `panel_query_${i}`, expr: q.expr }));
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard-panels', rules }] }));
      const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(r.error, 'promtool must be installed (Debian package prometheus)').toBeUndefined();
      expect(`${r.stdout}${r.stderr}`).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('read only series the exporter rules and the recording rules produce', () => {
    const problems = seriesExist.run(checkInput(readBundleValues(bundle, model), model)).filter((p) => p.file.startsWith('dashboards/'));
    expect(problems.map((p) => p.message)).toEqual([]);
  });

  it('filter every recorded per-flow series on $flow', () => {
    const perFlow = [
      ...Object.values(SIGNAL_DEFS)
        .filter((d) => d.scope === 'flow')
        .map((d) => d.record),
      SLO_SERIES.unavailable,
      SLO_SERIES.errorBudgetRemaining,
    ];
    const sloPattern = /mm2_flow:slo_[a-z_]+:[a-z_]+[0-9a-z]*/g;
    const offenders = queries.flatMap((q) => {
      const names = [...perFlow.filter((r) => q.raw.includes(r)), ...(q.raw.match(sloPattern) ?? [])];
      return names.flatMap((name) => {
        const selectors = q.raw.split(name).slice(1);
        return selectors.filter((rest) => !/^\{[^}]*flow=~"\$flow"[^}]*\}/.test(rest)).map(() => `${q.where}: ${name} without flow=~"$flow"`);
      });
    });
    expect(offenders).toEqual([]);
  });

  it('all follow at least one of the dashboard variables (flow, connector, topic or worker)', () => {
    const cluster = Object.values(SIGNAL_DEFS)
      .filter((d) => d.scope === 'cluster')
      .map((d) => d.record);
    const unfiltered = queries.filter((q) => !/\$(cluster|flow|connector|topic|instance)\b/.test(q.raw) && !cluster.some((r) => q.raw === r));
    expect(unfiltered.map((q) => `${q.where}: ${q.raw}`)).toEqual([]);
  });

  it('keep per-partition panels to a top-N', () => {
    const perPartition = Object.values(METRICS).filter((m) => (m.labels as readonly string[]).includes('partition'));
    const readsPartitions = (expr: string) => perPartition.some((m) => new RegExp(`\\b${m.name}\\b`).test(expr));
    const partitionPanels = panelsOf(dashboards[DASHBOARD_FILES.detailed]!).filter((p) => (p.targets ?? []).some((t) => readsPartitions(t.expr!)));
    expect(partitionPanels.length).toBeGreaterThan(3);
    for (const p of partitionPanels) for (const t of p.targets!) expect(t.expr, p.title).toMatch(/^topk\(\d+, /);
  });
});

describe('dashboard thresholds', () => {
  it('show the state now on the on-call stats (instant queries), and count 0 failed tasks rather than no value', () => {
    const stats = panelsOf(dashboards[DASHBOARD_FILES.replication]!).filter(
      (p) => p.type === 'stat' && (p.targets ?? []).some((t) => !t.expr!.includes('slo_')),
    );
    expect(stats.length).toBeGreaterThan(5);
    for (const p of stats) for (const t of p.targets!) expect((t as { instant?: boolean }).instant, p.title).toBe(true);
    const failed = stats.find((p) => p.targets!.some((t) => t.expr!.includes(SIGNAL_DEFS.failedTasks.record)))!;
    expect(failed.targets![0]!.expr).toMatch(/or vector\(0\)$/);
    const up = stats.find((p) => p.targets!.some((t) => t.expr!.includes(SIGNAL_DEFS.workersUp.record)))!;
    expect(colourAt(up.fieldConfig!.defaults!.thresholds!.steps, model.workers.length - 2)).toBe('orange');
    expect(colourAt(up.fieldConfig!.defaults!.thresholds!.steps, model.workers.length)).toBe('green');
  });

  it('change colour exactly where the alerts fire', () => {
    const panels = alertedPanels(model);
    expect(panels.length).toBeGreaterThan(15);
    for (const { panel, record, alerts } of panels) {
      const defaults = panel.fieldConfig!.defaults!.thresholds!.steps;
      expect(panel.fieldConfig!.defaults!.thresholds!.mode).toBe('absolute');
      // Tiers about different connectors (the source one pages, the others warn): the source connector's
      // series take the critical's colours from an override; a panel that sums the connectors shows the critical's.
      const split = panel.fieldConfig!.overrides?.find((o) => o.matcher.id === 'byRegexp');
      const splitSteps = split?.properties.find((x) => x.id === 'thresholds')?.value?.steps;
      const shared = alerts.filter((a) => alerts.some((b) => b !== a && b.threshold === a.threshold)).length > 0;
      const bad = (severity: string) => (severity === 'critical' || (shared && !split) ? 'red' : 'orange');
      for (const a of alerts) {
        const steps = split && a.severity === 'critical' ? splitSteps! : defaults;
        const where = `${panel.title} (${record}, ${a.severity} ${a.op} ${a.threshold})`;
        const eps = Math.max(1e-6, Math.abs(a.threshold) * 1e-6);
        if (a.op === '>=') {
          expect(colourAt(steps, a.threshold), where).toBe(bad(a.severity));
          expect(colourAt(steps, a.threshold - eps), where).not.toBe(bad(a.severity));
        } else {
          expect(colourAt(steps, a.threshold - eps), where).toMatch(a.severity === 'critical' ? /red/ : /red|orange/);
          expect(colourAt(steps, a.threshold), where).not.toBe(bad(a.severity));
        }
      }
      // No step that no alert explains. Workers up also turns orange below the worker count: one worker's
      // exporter unreachable is MM2WorkerExporterUnreachableWarning, on the per-worker series.
      const explained = [...alerts.map((a) => a.threshold), ...(record === SIGNAL_DEFS.workersUp.record ? [model.workers.length] : [])];
      expect([...new Set([...defaults, ...(splitSteps ?? [])].filter((s) => s.value !== null).map((s) => s.value))].sort(), panel.title).toEqual(
        [...new Set(explained)].sort(),
      );
    }
  });

  it('on drill-down panels, are the thresholds of one alerted signal', () => {
    const alertSets = [...alertThresholds(model).values()].map((as) => JSON.stringify(as.map((a) => a.threshold).sort()));
    const withSteps = panelsOf(dashboards[DASHBOARD_FILES.detailed]!).filter((p) => p.fieldConfig!.defaults!.thresholds!.steps.length > 1);
    expect(withSteps.length).toBeGreaterThan(2);
    for (const p of withSteps) {
      const values = p
        .fieldConfig!.defaults!.thresholds!.steps.filter((s) => s.value !== null)
        .map((s) => s.value!)
        .sort();
      expect(alertSets, p.title).toContain(JSON.stringify(values));
    }
  });

  it('name no job and no cluster in any query or variable: one provisioned copy serves every Connect cluster through $cluster and $job', () => {
    const other = dashboardsOf(loadModel({ prometheus: { job: 'mm2-connect-lyon', cluster: 'lyon-prod' } }, 'lyon.yaml'));
    for (const f of FILES) {
      const text = JSON.stringify(dashboards[f]!.panels) + JSON.stringify(dashboards[f]!.templating);
      expect(text).not.toContain(model.groupLabels.job);
      expect(text).not.toContain(model.groupLabels.cluster);
      // Another cluster's bundle makes the same dashboards, but for the generated-file notice.
      expect({ ...other[f], __generated: undefined }).toEqual({ ...dashboards[f], __generated: undefined });
    }
  });

  it('mark each burn-rate tier at the factor its alert fires at', () => {
    const slo = panelsOf(dashboards[DASHBOARD_FILES.replication]!).filter((p) => p.targets!.some((t) => t.expr!.startsWith(SLO_SERIES.burnRate(''))));
    expect(slo.map((p) => p.targets![0]!.expr)).toEqual(
      model.sla.burnRateTiers.map((t) => `${SLO_SERIES.burnRate(t.longWindow)}{cluster=~"$cluster", flow=~"$flow", job=~"$job"}`),
    );
    slo.forEach((p, i) => {
      const tier = model.sla.burnRateTiers[i]!;
      const steps = p.fieldConfig!.defaults!.thresholds!.steps;
      expect(colourAt(steps, tier.factor * 0.999)).toBe('green');
      expect(colourAt(steps, tier.factor)).toBe(tier.severity === 'critical' ? 'red' : 'orange');
    });
  });

  it('follow a threshold changed in the model', () => {
    const before = alertedPanels(model).find((p) => p.record === SIGNAL_DEFS.replicationLatencyAvg.record)!;
    const changed = loadModel(
      { thresholds: { replicationLatencyAvg: { warning: { threshold: 250, for: '10m' }, critical: { threshold: 2500, for: '2m' } } } },
      'test override',
    );
    const after = alertedPanels(changed).find((p) => p.record === SIGNAL_DEFS.replicationLatencyAvg.record)!;
    const values = (p: typeof before) => p.panel.fieldConfig!.defaults!.thresholds!.steps.map((s) => s.value);
    expect(values(before)).toEqual([null, 100, 1000]);
    expect(values(after)).toEqual([null, 250, 2500]);
    expect(colourAt(after.panel.fieldConfig!.defaults!.thresholds!.steps, 2500)).toBe('red');
  });

  it('show a below-direction signal red under its critical threshold and green from its warning one', () => {
    const ratio = alertedPanels(model).find((p) => p.record === SIGNAL_DEFS.replicationRatio.record)!;
    const steps = ratio.panel.fieldConfig!.defaults!.thresholds!.steps;
    const tiers = model.signals.find((s) => s.id === 'replicationRatio')!.tiers;
    expect(colourAt(steps, tiers.critical!.threshold - 1)).toBe('red');
    expect(colourAt(steps, tiers.critical!.threshold)).toBe('orange');
    expect(colourAt(steps, tiers.warning!.threshold)).toBe('green');
  });
});

describe('dashboard identity', () => {
  it('has stable UIDs derived from the names, distinct and within Grafana limits', () => {
    const again = buildBundle(loadModel());
    for (const f of [...FILES, PROVIDER_FILE]) expect(again.get(f)).toBe(bundle.get(f));
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids).toEqual(Object.values(DASHBOARDS).map((d) => dashboardUid(d.name)));
    for (const u of uids) expect(u).toMatch(new RegExp(`^[a-z0-9_-]{1,${UID_MAX_LENGTH}}$`));
    const long = 'mm2 replication for a very long flow name beyond forty characters';
    expect(dashboardUid(long).length).toBeLessThanOrEqual(UID_MAX_LENGTH);
    expect(dashboardUid(long)).toBe(dashboardUid(long));
    expect(dashboardUid(long)).not.toBe(dashboardUid(`${long}!`));
  });

  it('links each dashboard to the other', () => {
    const [a, b] = Object.values(dashboards) as [Dashboard, Dashboard];
    expect(a.links.map((l) => l.url)).toContainEqual(expect.stringContaining(`/d/${b.uid}`));
    expect(b.links.map((l) => l.url)).toContainEqual(expect.stringContaining(`/d/${a.uid}`));
  });
});

describe('dashboard lint', () => {
  it.each(allDashboards)('%s follows the dashboard-linter conventions', (_file, d) => {
    expect(d.title).toMatch(/\S/);
    expect(d.uid).toMatch(/\S/);
    expect(d.tags).toContain('mm2');
    const ds = d.templating.list.find((v) => v.name === 'datasource')!;
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus', label: 'Data source' });
    const ids = d.panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && id! > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panelsOf(d)) {
      expect(p.fieldConfig?.defaults?.unit, p.title).toMatch(/\S/);
      expect(p.description, p.title).toMatch(/\S{3,}/);
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(t.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      if (p.type === 'stat') expect(p.options?.reduceOptions?.calcs, p.title).toEqual(['lastNotNull']);
    }
    expect(JSON.stringify(d)).not.toContain('${DS_');
    // Laid out on Grafana's 24-column grid without overlaps.
    const boxes = d.panels.map((p) => ({ id: p.id, ...(p as unknown as { gridPos: { x: number; y: number; w: number; h: number } }).gridPos }));
    for (const a of boxes) {
      expect(a.x + a.w, `panel ${a.id}`).toBeLessThanOrEqual(24);
      for (const b of boxes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `panels ${a.id} and ${b.id}`).toBe(false);
      }
    }
  });

  it('gives every variable the panels use a sample value for validation', () => {
    const samples = sampleVariableValues(model);
    for (const [, d] of allDashboards) for (const v of d.templating.list) expect(samples, v.name).toHaveProperty(v.name);
  });

  it('shows GC time as a fraction of time, not as a mislabelled percent', () => {
    const gc = panelsOf(dashboards[DASHBOARD_FILES.detailed]!).find((p) => p.targets!.some((t) => /rate\(jvm_gc_collection_seconds_sum/.test(t.expr!)))!;
    expect(gc.fieldConfig!.defaults!.unit).toBe('percentunit');
  });
});

describe('provisioning provider', () => {
  it('points Grafana at the mounted folder, in one folder, without file-structure folders', () => {
    const doc = parse(bundle.get(PROVIDER_FILE)!) as {
      apiVersion: number;
      providers: { type: string; folder: string; options: { path: string; foldersFromFilesStructure: boolean } }[];
    };
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers).toHaveLength(1);
    expect(doc.providers[0]).toMatchObject({ type: 'file', options: { foldersFromFilesStructure: false } });
    expect(doc.providers[0]!.folder).toMatch(/\S/);
    expect(doc.providers[0]!.options.path).toMatch(/^\//);
  });
});
