import { join } from 'node:path';
import type { MBeanReading } from '../../src/emulation/exporter.js';
import { JAVA_SOURCES, type KafkaVersion, kafkaClasspath, runJava } from './java-process.js';

/**
 * The MBeans a live worker registers, read over JMX by java/MBeanDump.java exactly as the
 * JMX exporter reads them (key properties in registration order, JMX-quoted values kept).
 */
export async function recordMBeans(jmxAddress: string, version: KafkaVersion, objectNamePatterns: readonly string[], logDir: string): Promise<MBeanReading[]> {
  const log = join(logDir, `mbean-dump-${Date.now()}.log`);
  const out = await runJava({
    name: 'MBean dump',
    classpath: kafkaClasspath(version),
    mainClass: join(JAVA_SOURCES, 'MBeanDump.java'),
    args: [jmxAddress, ...objectNamePatterns],
    jvmArgs: ['-Xmx128m'],
    logFile: log,
  });
  const json = out.slice(out.indexOf('[\n'));
  const raw = JSON.parse(json) as { domain: string; properties: [string, string][]; attribute: string; value: number | string | boolean }[];
  return raw.map((r) => ({
    ...r,
    // The dump writes non-finite doubles as strings (JSON has no NaN).
    value: r.value === 'NaN' ? NaN : r.value === '+Inf' ? Infinity : r.value === '-Inf' ? -Infinity : r.value,
  }));
}
