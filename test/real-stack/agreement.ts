import { byKey } from '../../src/conventions/order.js';
import { emulateExporter, type MBeanReading } from '../../src/emulation/exporter.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import { type ScrapedSample, scrape } from './exposition-parse.js';
import type { KafkaVersion } from './java-process.js';
import { recordMBeans } from './mbeans.js';

/**
 * The in-process exporter emulator held against the real agent: the MBeans of a live worker
 * are read over JMX just before and just after its agent is scraped; the emulator, run on the
 * readings, must produce exactly the series the agent served from its rules, and the same
 * values wherever the value cannot have changed between the reads.
 */

export interface AgentRecording {
  readonly kafkaVersion: KafkaVersion;
  /** Readings present in both reads; `stable` when the value did not change between them. */
  readonly readings: readonly (MBeanReading & { readonly stable: boolean })[];
  /** What the agent served from its rules (its own JVM and scrape metrics left out). */
  readonly served: readonly ScrapedSample[];
}

const key = (r: MBeanReading) => JSON.stringify([r.domain, r.properties, r.attribute]);
const sameValue = (a: MBeanReading['value'], b: MBeanReading['value']) => a === b || (Number.isNaN(a) && Number.isNaN(b));
const seriesKey = (s: { name: string; labels: Readonly<Record<string, string>> }) =>
  `${s.name}{${Object.entries(s.labels)
    .sort(byKey)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

/**
 * Whether a served name comes from the rules (a COUNTER rule's name gets `_total`); a name
 * templated with a capture (`prefix_$5`, the attribute) stands for any safe name there.
 */
export function ruleOutputNames(config: ExporterConfig): { has(name: string): boolean } {
  const patterns = (config.rules ?? [])
    .filter((r) => r.name !== '')
    .map((r) => {
      const n = config.lowercaseOutputName ? r.name.toLowerCase() : r.name;
      const body = n
        .split(/\$[0-9]+/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[a-zA-Z0-9_:]+');
      return new RegExp(`^${body}(?:_total)?$`);
    });
  return { has: (name) => patterns.some((p) => p.test(name)) };
}

export async function recordAgent(
  metricsUrl: string,
  jmxAddress: string,
  version: KafkaVersion,
  config: ExporterConfig,
  logDir: string,
): Promise<AgentRecording> {
  const patterns = config.includeObjectNames ?? ['*:*'];
  let before: MBeanReading[] = [];
  let scraped: ScrapedSample[] = [];
  let after = new Map<string, MBeanReading>();
  // A recording is a snapshot only if no MBean came or went between the two reads (a task
  // starting, a group's first checkpoint): the agent may have served either set. Read again then.
  for (let attempt = 0; attempt < 5; attempt++) {
    before = await recordMBeans(jmxAddress, version, patterns, logDir);
    scraped = await scrape(metricsUrl);
    after = new Map((await recordMBeans(jmxAddress, version, patterns, logDir)).map((r) => [key(r), r]));
    if (before.length === after.size && before.every((r) => after.has(key(r)))) break;
  }
  const names = ruleOutputNames(config);
  return {
    kafkaVersion: version,
    readings: before.filter((r) => after.has(key(r))).map((r) => ({ ...r, stable: sameValue(r.value, after.get(key(r))!.value) })),
    served: scraped.filter((s) => names.has(s.name)),
  };
}

export interface Disagreement {
  /** Series the agent served that the emulator does not produce. */
  readonly onlyAgent: string[];
  /** Series the emulator produces that the agent did not serve. */
  readonly onlyEmulator: string[];
  /** Series of unchanged readings whose values differ: "series: agent X, emulator Y". */
  readonly values: string[];
}

export function compareWithEmulator(config: ExporterConfig, recording: AgentRecording): Disagreement {
  const emulated = emulateExporter(config, recording.readings);
  const served = new Map(recording.served.map((s) => [seriesKey(s), s]));
  const produced = new Set(emulated.map(seriesKey));
  const values: string[] = [];
  for (const r of recording.readings) {
    // Only a counter that did not move between the two reads cannot have moved in between;
    // a gauge can come back to its value (a buffer used and freed), so gauges are compared
    // by series, not value. String attributes (states) map to a rule's fixed value.
    if (!r.stable) continue;
    for (const s of emulateExporter(config, [r])) {
      if (s.type !== 'counter' && typeof r.value !== 'string') continue;
      const real = served.get(seriesKey(s));
      if (real && !sameValue(real.value, s.value)) values.push(`${seriesKey(s)}: agent ${real.value}, emulator ${s.value}`);
    }
  }
  return {
    onlyAgent: [...served.keys()].filter((k) => !produced.has(k)).sort(),
    onlyEmulator: [...produced].filter((k) => !served.has(k)).sort(),
    values: values.sort(),
  };
}
