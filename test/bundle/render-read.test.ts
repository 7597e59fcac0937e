import { describe, expect, it, vi } from 'vitest';
import * as yaml from 'yaml';
import { buildDeployment } from '../../src/bundle/bundle.js';
import { bundleValuesOf } from '../../src/documents/values.js';
import { loadDeployment } from '../../src/model/deployment.js';
import { loadModel } from '../../src/model/load.js';
import { readBundleValues, readQueries, readRuleGroups } from '../../src/reader/read.js';
import { validateDeployment } from '../../src/validate/index.js';

vi.mock('yaml', async (importOriginal) => {
  const real = await importOriginal<typeof import('yaml')>();
  return { ...real, parse: vi.fn(real.parse), parseDocument: vi.fn(real.parseDocument), parseAllDocuments: vi.fn(real.parseAllDocuments) };
});

/** The default bundle, and two prefixed Connect clusters with their Kubernetes manifests: every kind of document. */
const models = {
  default: () => loadDeployment(undefined),
  'two clusters with Kubernetes manifests': () =>
    loadDeployment(
      {
        output: { kubernetes: { namespace: 'monitoring', connectNamespace: 'kafka' } },
        clusters: ['paris-prod', 'lyon-prod'].map((cluster, i) => ({
          prometheus: { cluster, job: `connect-${cluster}` },
          workers: [{ host: `10.0.${i}.1`, port: 7072 }],
        })),
      },
      'two-clusters.yaml',
    ),
};

describe('the bundle rendered, then read back from its text', () => {
  for (const [name, deployment] of Object.entries(models)) {
    it(`holds the same rules and panel queries as the values it was rendered from (${name})`, () => {
      const built = buildDeployment(deployment());
      expect(built.views.length).toBeGreaterThan(0);
      for (const view of built.views) {
        expect(view.queries.rules.length).toBeGreaterThan(0);
        expect(view.queries.panels.length).toBeGreaterThan(0);
        expect(readQueries(view.files, view.model)).toEqual(view.queries);
        const typed = view.documents.flatMap((d) => (d.format === 'rules' ? d.typed : []));
        expect(readRuleGroups(view.files)).toEqual([...typed].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)));
        // What the validators read: the same whether the bundle is checked as built or as files on disk.
        const values = bundleValuesOf(view.documents, view.model);
        expect(values.exporter).toBeDefined();
        expect(values.scrapeJobs.length).toBeGreaterThan(0);
        expect(values.connect.connectors.length).toBeGreaterThan(0);
        expect(values.panels.length).toBeGreaterThanOrEqual(view.queries.panels.length);
        expect(readBundleValues(view.files, view.model)).toEqual(values);
      }
    });
  }

  it('is built and validated without parsing any of the text it generates', () => {
    const deployment = models['two clusters with Kubernetes manifests']();
    loadModel();
    const json = vi.spyOn(JSON, 'parse');
    vi.mocked(yaml.parse).mockClear();
    vi.mocked(yaml.parseDocument).mockClear();
    vi.mocked(yaml.parseAllDocuments).mockClear();
    // What the CLI's build runs in-process before it writes (the external tools aside): assemble, render, validate.
    const built = buildDeployment(deployment);
    expect(validateDeployment(built)).toEqual([]);
    expect([...built.bundle.keys()].some((p) => p.startsWith('kubernetes/'))).toBe(true);
    // The AlertmanagerConfig spells Alertmanager's matchers as objects: only their quoted values are parsed.
    expect(json.mock.calls.map(([text]) => text).filter((text) => !/^"[^"\\]*"$/.test(text))).toEqual([]);
    expect(yaml.parse).not.toHaveBeenCalled();
    expect(yaml.parseDocument).not.toHaveBeenCalled();
    expect(yaml.parseAllDocuments).not.toHaveBeenCalled();
    json.mockRestore();
    // The same spies see the reader parse: the test would fail if the build still did.
    readQueries(built.views[0]!.files, built.views[0]!.model);
    expect(yaml.parse).toHaveBeenCalled();
  });
});
