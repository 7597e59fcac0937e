import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildBundle, buildDeployment } from '../../src/bundle/bundle.js';
import { loadDeployment } from '../../src/model/deployment.js';
import { readBundleValues } from '../../src/reader/read.js';
import { CHECKS, validateBundle, validateDeployment } from '../../src/validate/index.js';
import { good, model } from './checks/rules.js';

describe('the in-process checks', () => {
  it('each has an mm2/ id of its own, which a finding is looked up by', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^mm2\/[a-z-]+$/);
  });

  it('run as part of validateBundle', () => {
    const bundle = buildBundle(model);
    const scope = Object.entries(model.groupLabels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
    const bad = new Map([
      ...bundle,
      ['alerts/extra.rules.yaml', stringify({ groups: [{ name: 'x', rules: [{ ...good, expr: `up{${scope}} == 0`, for: '15s' }] }] })],
    ]);
    expect(validateBundle(readBundleValues(bad, model), model).filter((p) => p.file === 'alerts/extra.rules.yaml')).toEqual([
      expect.objectContaining({ check: 'mm2/up-absent-for', severity: 'bug', message: expect.stringContaining('reads up or absent() with for 15s') }),
    ]);
  });

  it("judge the dashboards every cluster shares on all the clusters together: a query part that reads another cluster's flow is not a problem", () => {
    const cluster = (name: string, port: number, flows: readonly (readonly [string, string])[]) => ({
      prometheus: { cluster: `${name}-prod`, job: `mm2-connect-${name}` },
      prefix: name,
      workers: [{ host: '127.0.0.1', port }],
      flows: flows.map(([source, target]) => ({ source, target })),
    });
    const deployment = loadDeployment(
      {
        clusters: [
          cluster('paris', 7072, [
            ['nemo', 'applicatif'],
            ['applicatif', 'nemo'],
          ]),
          cluster('lyon', 7073, [
            ['orders', 'archive'],
            ['billing', 'archive'],
          ]),
        ],
      },
      'clusters.yaml',
    );
    const built = buildDeployment(deployment);
    expect(validateDeployment(built)).toEqual([]);
    // Each cluster alone does find the other's flows missing from its series: the shared dashboards read both.
    const alone = built.views.map((v) => validateBundle(readBundleValues(v.files, v.model), v.model).filter((p) => p.file.startsWith('dashboards/')));
    for (const problems of alone) expect(problems.length).toBeGreaterThan(0);
  });
});
