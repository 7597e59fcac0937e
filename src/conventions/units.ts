import * as grafanaUnits from '@grafana/grafana-foundation-sdk/units';

/** The unit of a signal's value. */
export type Unit =
  | 'ms'
  | 'records'
  | 'records/min'
  | 'records/s'
  | 'bytes/s'
  | 'percent'
  | 'tasks'
  | 'connectors'
  | 'workers'
  | 'errors'
  | 'events'
  | 'rebalances';

export interface UnitConvention {
  /** Singular and plural, as sentences and alert annotations write them ("1 record", "2 records"). */
  readonly words: readonly [one: string, many: string];
  /** Grafana's unit id; counts without a Grafana unit of their own are `short`. */
  readonly grafana: string;
  /**
   * What a value can be, (min, max]: a threshold outside makes an alert that always or never
   * fires. The load narrows `workers` to the model's worker count.
   */
  readonly range: readonly [min: number, max: number];
}

/** Every unit's words, Grafana unit and valid range: the one table dashboards, alerts, the report and the loader read. */
export const UNITS: Readonly<Record<Unit, UnitConvention>> = {
  ms: { words: ['ms', 'ms'], grafana: grafanaUnits.Milliseconds, range: [0, Infinity] },
  records: { words: ['record', 'records'], grafana: grafanaUnits.Short, range: [0, Infinity] },
  'records/min': { words: ['record/min', 'records/min'], grafana: grafanaUnits.Short, range: [-Infinity, Infinity] },
  'records/s': { words: ['record/s', 'records/s'], grafana: grafanaUnits.RecordsPerSecond, range: [0, Infinity] },
  'bytes/s': { words: ['byte/s', 'bytes/s'], grafana: grafanaUnits.BytesPerSecondSI, range: [0, Infinity] },
  percent: { words: ['%', '%'], grafana: grafanaUnits.Percent, range: [0, 100] },
  tasks: { words: ['task', 'tasks'], grafana: grafanaUnits.Short, range: [0, Infinity] },
  connectors: { words: ['connector', 'connectors'], grafana: grafanaUnits.Short, range: [0, 1] },
  workers: { words: ['worker', 'workers'], grafana: grafanaUnits.Short, range: [0, Infinity] },
  errors: { words: ['error', 'errors'], grafana: grafanaUnits.Short, range: [0, Infinity] },
  events: { words: ['event', 'events'], grafana: grafanaUnits.Short, range: [0, Infinity] },
  rebalances: { words: ['rebalance', 'rebalances'], grafana: grafanaUnits.Short, range: [0, Infinity] },
};

/** Grafana unit of a signal's unit. */
export function grafanaUnit(unit: Unit): string {
  return UNITS[unit].grafana;
}
