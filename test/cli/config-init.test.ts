import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { overrideJsonSchema } from '../../src/model/config-schema.js';
import { DEFAULT_CONFIG } from '../../src/model/defaults.js';
import { loadModel } from '../../src/model/load.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mm2-cli-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(argv);

describe('mm2-monitoring init and config', () => {
  it('init writes a starter file that loads, validates against the schema and changes nothing; never overwrites', () => {
    const file = join(dir, 'starter.yaml');
    expect(cli('init', file).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# yaml-language-server: $schema=')).toBe(true);
    const doc = parse(text);
    expect(doc).toEqual({ version: 1 });
    expect(new Ajv2020({ strict: false }).compile(overrideJsonSchema())(doc)).toBe(true);
    // The commented settings, uncommented, are a valid override too.
    const commented = text.slice(text.indexOf('uncomment and edit:\n') + 'uncomment and edit:\n'.length);
    const uncommented = parse(
      commented
        .split('\n')
        .map((l) => l.replace(/^# /, ''))
        .join('\n'),
    );
    expect(() => loadModel(uncommented, 'uncommented.yaml')).not.toThrow();
    expect(uncommented.prometheus.job).toBe(DEFAULT_CONFIG.prometheus.job);
    writeFileSync(file, 'mine: 1\n');
    const again = cli('init', file);
    expect(again.code).toBe(2);
    expect(again.err).toContain('exists; nothing was written');
    expect(readFileSync(file, 'utf8')).toBe('mine: 1\n');
  });

  it('config prints the configuration in force, overrides merged, tiers switched off as false', () => {
    const file = join(dir, 'env.yaml');
    writeFileSync(file, 'prometheus: { job: mm2-prod }\nthresholds: { replicationLatencyAvg: { warning: false } }\n');
    const r = cli('config', '--config', file);
    expect(r.code).toBe(0);
    const effective = parse(r.out);
    expect(effective.version).toBe(1);
    expect(effective.prometheus.job).toBe('mm2-prod');
    expect(effective.prometheus.cluster).toBe(DEFAULT_CONFIG.prometheus.cluster);
    expect(effective.thresholds.replicationLatencyAvg.warning).toBe(false);
    expect(effective.thresholds.replicationLatencyAvg.critical).toEqual(DEFAULT_CONFIG.thresholds.replicationLatencyAvg.critical);
    // What it prints loads back to the same configuration.
    expect(parse(cli('config', '--config', writeBack(r.out)).out)).toEqual(effective);
  });

  it("config rejects a bad file with the loader's errors and exit code 2", () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'thresholds: { failedTasks: { critical: { threshold: one } } }\n');
    const r = cli('config', '--config', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:1: thresholds.failedTasks.critical.threshold: expected a number, got "one"`);
    expect(r.out).toBe('');
  });
});

function writeBack(text: string): string {
  const file = join(dir, 'effective.yaml');
  writeFileSync(file, text);
  return file;
}
