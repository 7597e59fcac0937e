import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_REFERENCE_PATH, configReferenceMarkdown } from '../../../src/builders/report/config-reference.js';
import { run } from '../../../src/cli.js';
import { configJsonSchema, OVERRIDE_SCHEMA_PATH, overrideJsonSchemaText } from '../../../src/model/config-schema.js';
import { DEFAULT_CONFIG } from '../../../src/model/defaults.js';
import { SIGNAL_IDS } from '../../../src/model/signals.js';

type Node = { description?: string; properties?: Record<string, Node>; items?: Node; additionalProperties?: Node | boolean; anyOf?: Node[] };

/** Every key path of the configuration schema, as the reference names it, with its schema node. */
function keyPaths(node: Node, path: string[] = []): [string, Node][] {
  const mapping = node.properties ? node : node.anyOf?.find((a) => a.properties);
  const own: [string, Node][] = path.length > 0 ? [[path.join('.'), node]] : [];
  if (mapping?.properties) return [...own, ...Object.entries(mapping.properties).flatMap(([k, child]) => keyPaths(child, [...path, k]))];
  const last = path[path.length - 1];
  if (node.items?.properties) return [...own, ...keyPaths(node.items, [...path.slice(0, -1), `${last}[]`]).slice(1)];
  if (typeof node.additionalProperties === 'object' && node.additionalProperties.properties) {
    return [...own, ...keyPaths(node.additionalProperties, [...path.slice(0, -1), `${last}.<name>`]).slice(1)];
  }
  return own;
}

const rowKeys = (md: string) => new Set([...md.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!.replace(/\\\|/g, '|')));
const rowOf = (md: string, key: string) => md.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));

const dir = mkdtempSync(join(tmpdir(), 'mm2-config-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the configuration reference', () => {
  const md = configReferenceMarkdown();
  const paths = keyPaths(configJsonSchema() as Node);

  it('is committed as generated', () => {
    expect(readFileSync(CONFIG_REFERENCE_PATH, 'utf8')).toBe(md);
  });

  it("says what every key drives: each key of the loader's schema has a description", () => {
    expect(paths.length).toBeGreaterThan(60);
    expect(paths.filter(([, node]) => !node.description).map(([p]) => p)).toEqual([]);
  });

  it('has a row for every key, thresholds as one row per signal', () => {
    const keys = rowKeys(md);
    const missing = paths
      .map(([p]) =>
        p.replace(/^thresholds\.[^.]+(\..*)?$/, (_m, rest: string | undefined) =>
          rest ? `thresholds.<signal>.<warning|critical>${rest.replace(/^\.(warning|critical)/, '')}` : '',
        ),
      )
      .filter((p) => p !== '' && !keys.has(p));
    expect(missing).toEqual([]);
    for (const id of SIGNAL_IDS) expect(keys.has(`thresholds.${id}`), id).toBe(true);
  });

  it('prints the defaults in force, as the loader reads them', () => {
    expect(rowOf(md, 'prometheus.job')).toContain(`\`${DEFAULT_CONFIG.prometheus.job}\``);
    expect(rowOf(md, 'exporter.port')).toContain(`\`${DEFAULT_CONFIG.exporter.port}\``);
    expect(rowOf(md, 'connect.statusHold')).toContain(`\`${DEFAULT_CONFIG.connect.statusHold}\``);
    const latency = DEFAULT_CONFIG.thresholds.replicationLatencyAvg;
    expect(rowOf(md, 'thresholds.replicationLatencyAvg')).toMatch(
      new RegExp(`warning >= ${latency.warning.threshold} ms for ${latency.warning.for}; critical >= 1,000 ms \\(1 s\\) for ${latency.critical.for}`),
    );
    // A key of a list item has no default of its own: required, or the schema's default.
    expect(rowOf(md, 'flows[].source')).toContain('| required |');
    expect(rowOf(md, 'flows[].replicationPolicy')).toContain('`default`');
    // Inside a mapping the defaults do not set, its required keys must come with it.
    expect(rowOf(md, 'prometheus.tls.caFile')).toContain('| required |');
    expect(rowOf(md, 'prometheus.tls.serverName')).toContain('| not set |');
  });

  it('`mm2-monitoring schema [dir]` writes the schema and the reference as committed, and refuses a missing directory', () => {
    let out = '';
    let err = '';
    const io = {
      out: (t: string) => {
        out += t;
      },
      err: (t: string) => {
        err += t;
      },
    };
    expect(run(['schema', dir], io)).toBe(0);
    expect(readFileSync(join(dir, OVERRIDE_SCHEMA_PATH), 'utf8')).toBe(overrideJsonSchemaText());
    expect(readFileSync(join(dir, CONFIG_REFERENCE_PATH), 'utf8')).toBe(md);
    expect(out).toContain(CONFIG_REFERENCE_PATH);
    // Written again over an edited copy: replaced whole.
    writeFileSync(join(dir, CONFIG_REFERENCE_PATH), 'edited\n');
    expect(run(['schema', dir], io)).toBe(0);
    expect(readFileSync(join(dir, CONFIG_REFERENCE_PATH), 'utf8')).toBe(md);
    expect(run(['schema', join(dir, 'missing')], io)).toBe(2);
    expect(err).toContain('expected an existing directory; nothing was written');
  });
});
