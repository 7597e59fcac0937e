import { parse } from 'yaml';
import { SCRAPE_FILES } from '../../src/documents/paths.js';
import { builtinTargetSeries } from '../../src/emulation/builtin-series.js';
import { emulateExporter } from '../../src/emulation/exporter.js';
import type { ExporterConfig } from '../../src/metrics/jmx-exporter.js';
import type { GeneratedFile } from '../../src/reader/read.js';
import type { ExporterEndpoint } from './exporter-server.js';
import { type ExposedSample, renderExposition } from './exposition.js';
import type { SimulatedConnectCluster } from './simulated-cluster.js';

/** The JMX exporter configuration exactly as the bundle ships it (the file, not the builder's object). */
export function generatedExporterConfig(files: readonly GeneratedFile[]): ExporterConfig {
  const file = files.find((f) => f.path === SCRAPE_FILES.exporter);
  if (!file) throw new Error(`the bundle has no ${SCRAPE_FILES.exporter}`);
  return parse(file.content) as ExporterConfig;
}

/**
 * The exporter's JVM instrumentation (not MBean rules): heap and non-heap use under their
 * limits, G1 collections ticking. Label values come from the builtin series catalogue.
 */
function jvmSamples(elapsed: number): ExposedSample[] {
  const out: ExposedSample[] = [];
  for (const [name, labelSets] of builtinTargetSeries()) {
    if (!name.startsWith('jvm_')) continue;
    for (const labels of labelSets) {
      const heap = labels['area'] === 'heap';
      const value = name.startsWith('jvm_memory_used')
        ? heap
          ? 1.4e9 + 1e8 * Math.sin(elapsed / 13)
          : 1.3e8
        : name.startsWith('jvm_memory_max')
          ? heap
            ? 4.2e9
            : 1.1e9
          : name.endsWith('_count')
            ? Math.floor(elapsed / (labels['gc']?.includes('Young') ? 2 : 60))
            : (labels['gc']?.includes('Young') ? 0.004 : 0.0005) * elapsed;
      out.push({ name, labels, value });
    }
  }
  return out;
}

/**
 * What worker `worker`'s exporter serves now: the emulator applied to the generated exporter
 * configuration and the MBeans the simulated cluster has on that worker, plus JVM series.
 */
export function simulatedExposition(config: ExporterConfig, cluster: SimulatedConnectCluster, worker: number, elapsed: number): string {
  return renderExposition([...emulateExporter(config, cluster.readings(worker)), ...jvmSamples(elapsed)]);
}

/**
 * Serves, from each endpoint, its worker's share of the simulated cluster as the bundle's own
 * exporter rules expose it, with time running from now.
 */
export function serveSimulatedCluster(exporters: readonly ExporterEndpoint[], files: readonly GeneratedFile[], cluster: SimulatedConnectCluster): void {
  const config = generatedExporterConfig(files);
  const t0 = Date.now();
  for (const [i, e] of exporters.entries()) e.serve(() => simulatedExposition(config, cluster, i, (Date.now() - t0) / 1000));
}
