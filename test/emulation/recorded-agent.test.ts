import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildBundle } from '../../src/bundle/bundle.js';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import { emulateExporter, type MBeanReading, objectNameMatches } from '../../src/emulation/exporter.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { MBEAN_CATALOG } from '../../src/metrics/mbean-catalog.js';
import { loadModel } from '../../src/model/load.js';
import { type AgentRecording, compareWithEmulator } from '../real-stack/agreement.js';
import { missingFromContract } from '../real-stack/contract.js';
import { fixtureFile, type RecordedFixture } from '../real-stack/fixture.js';
import type { KafkaVersion } from '../real-stack/java-process.js';

/**
 * The offline tests' view of MM2, checked against a recording of real workers: the MBeans
 * Kafka registered and what the real JMX exporter agent served from them
 * (test/fixtures/real-agent/, rewritten by `npm run fixtures:record`). The emulator must
 * reproduce the agent; the hand-written MBean catalog must agree with the recording; and the
 * exporter configuration the bundle generates today must produce the whole label contract
 * from the recorded MBeans.
 */

const VERSIONS: readonly KafkaVersion[] = ['3.7.2', '4.3.1'];

const revive = (v: unknown): unknown => (v === 'NaN' ? NaN : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v);

function load(version: KafkaVersion): RecordedFixture {
  const file = fixtureFile(version);
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run fixtures:record" on the real stack`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RecordedFixture;
  return {
    ...raw,
    workers: raw.workers.map((w) => ({
      readings: w.readings.map((r) => ({ ...r, value: revive(r.value) as MBeanReading['value'] })),
      served: w.served.map((s) => ({ ...s, value: revive(s.value) as number })),
    })),
  };
}

describe.each(VERSIONS)('the recording of real workers on Kafka %s', (version) => {
  const fixture = load(version);
  const recordedConfig = parse(fixture.exporterConfig) as ExporterConfig;
  const readings = fixture.workers.flatMap((w) => w.readings);

  it('holds MM2 MBeans and agent output of every worker', () => {
    for (const w of fixture.workers) {
      expect(w.readings.some((r) => r.domain === 'kafka.connect.mirror')).toBe(true);
      expect(w.served.length).toBeGreaterThan(0);
    }
  });

  it('the emulator reproduces what the real agent served from the same MBeans and configuration', () => {
    for (const [i, w] of fixture.workers.entries()) {
      const recording: AgentRecording = { kafkaVersion: version, ...w };
      expect(compareWithEmulator(recordedConfig, recording), `worker ${i + 1}`).toEqual({ onlyAgent: [], onlyEmulator: [], values: [] });
    }
  });

  it('the MBean catalog has the recorded key properties, in order, and attributes, for every family the exporter reads', () => {
    const problems: string[] = [];
    for (const family of MBEAN_CATALOG) {
      const keys = version.startsWith('4.') ? (family.keyPropertiesKafka4 ?? family.keyProperties) : family.keyProperties;
      const sample = [...keys.map((k) => [k, k === 'type' ? family.typeValue : 'x'] as const)];
      const read = (recordedConfig.includeObjectNames ?? []).some((p) => objectNameMatches(p, family.domain, sample));
      if (!read) continue;
      const recorded = readings.filter(
        (r) => r.domain === family.domain && r.properties[0]?.[1] === family.typeValue && r.properties.map(([k]) => k).join(',') === keys.join(','),
      );
      if (recorded.length === 0) {
        problems.push(`${family.domain}:type=${family.typeValue} with keys ${keys.join(',')}: not registered by the real workers`);
        continue;
      }
      const attributes = new Set(recorded.map((r) => r.attribute));
      for (const a of family.attributes)
        if (!a.onlyWhen && !attributes.has(a.name)) problems.push(`${family.domain}:type=${family.typeValue} (${keys.join(',')}): no attribute ${a.name}`);
    }
    expect(problems).toEqual([]);
  });

  it("today's generated exporter configuration produces the whole label contract from the recorded MBeans", () => {
    const config = parse(buildBundle(loadModel()).get(SCRAPE_FILES.exporter)!) as ExporterConfig;
    // The agent's own JVM series are not rule output: the real-stack suite checks them live.
    expect(missingFromContract(emulateExporter(config, readings), { kafka4: version.startsWith('4.'), mbeansOnly: true })).toEqual([]);
  });
});
