import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentRecording } from './agreement.js';
import type { KafkaVersion } from './java-process.js';

/**
 * The recorded agent fixture: what real workers registered and what the real agent served
 * from the generated exporter configuration, one file per Kafka version. The offline tests
 * (test/emulation/recorded-agent.test.ts) run the emulator and the catalog checks on it.
 * Rewritten by `npm run fixtures:record` (a real-stack run with MM2_RECORD_FIXTURES=1).
 */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/real-agent/', import.meta.url));

export interface RecordedFixture {
  readonly kafkaVersion: KafkaVersion;
  readonly recordedWith: string;
  /** The exporter configuration (generated YAML) the agent ran. */
  readonly exporterConfig: string;
  readonly workers: readonly Omit<AgentRecording, 'kafkaVersion'>[];
}

/** `variant` names a recording of another environment than the defaults (e.g. `named`: named-flows.ts). */
export function fixtureFile(version: KafkaVersion, variant?: string): string {
  return join(FIXTURE_DIR, `kafka-${version}${variant ? `-${variant}` : ''}.json`);
}

export function writeRecordedFixture(version: KafkaVersion, exporterConfig: string, recordings: readonly AgentRecording[], variant?: string): void {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const fixture: RecordedFixture = {
    kafkaVersion: version,
    recordedWith: 'jmx_prometheus_javaagent 1.0.1',
    exporterConfig,
    workers: recordings.map(({ readings, served }) => ({ readings, served })),
  };
  // One reading or sample per line: a re-recording's diff reads line by line.
  const lines = (xs: readonly unknown[]) =>
    `[\n${xs.map((x) => `      ${JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf') : v))}`).join(',\n')}\n    ]`;
  const body = [
    '{',
    `  "kafkaVersion": ${JSON.stringify(fixture.kafkaVersion)},`,
    `  "recordedWith": ${JSON.stringify(fixture.recordedWith)},`,
    `  "exporterConfig": ${JSON.stringify(fixture.exporterConfig)},`,
    '  "workers": [',
    fixture.workers.map((w) => `    {\n    "readings": ${lines(w.readings)},\n    "served": ${lines(w.served)}\n    }`).join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
  writeFileSync(fixtureFile(version, variant), body);
}
