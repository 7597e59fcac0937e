/**
 * The Prometheus JMX exporter (1.x java agent) as the bundle writes for it: the configuration
 * shape (scrape/exporter-rules.ts generates it, emulation/exporter.ts runs it) and the
 * exporter's own naming rule.
 */

export type RuleType = 'GAUGE' | 'COUNTER' | 'UNTYPED';

export interface ExporterRule {
  readonly pattern: string;
  readonly name: string;
  readonly type?: RuleType;
  readonly help?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly value?: string | number;
  readonly valueFactor?: number;
  /** The agent matches `<cache>` in place of the value and remembers each attribute's outcome. */
  readonly cache?: boolean;
}

/** The parts of the jmx_exporter YAML that decide which series exist. */
export interface ExporterConfig {
  readonly lowercaseOutputName?: boolean;
  readonly lowercaseOutputLabelNames?: boolean;
  readonly includeObjectNames?: readonly string[];
  readonly excludeObjectNames?: readonly string[];
  readonly rules?: readonly ExporterRule[];
  readonly [other: string]: unknown;
}

/** jmx_exporter safeName: anything outside [a-zA-Z0-9:_] becomes `_`, runs of `_` collapse, a leading digit gets `_`. */
export function safeName(name: string): string {
  const replaced = name.replace(/[^a-zA-Z0-9:_]/g, '_').replace(/_+/g, '_');
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
}
