/**
 * The project's core reading of a threshold: a value is bad at or above it (`above`) or below
 * it (`below`). Alerts compare with this, Grafana's colour steps turn at the same value, the
 * loader checks tiers with it and the report words it: all from this table.
 */
export type Direction = 'above' | 'below';

export interface DirectionConvention {
  /** The alerts' comparison of the value with the threshold: true when bad. */
  readonly comparison: '>=' | '<';
  /** "at or above 1,000 ms", "below 1 worker". */
  readonly bound: string;
  /** "bad when high". */
  readonly badWhen: string;
  /** How a warning threshold compares with the critical one (the warning is less severe). */
  readonly warningToCritical: '<' | '>';
}

export const DIRECTIONS: Readonly<Record<Direction, DirectionConvention>> = {
  above: { comparison: '>=', bound: 'at or above', badWhen: 'when high', warningToCritical: '<' },
  below: { comparison: '<', bound: 'below', badWhen: 'when low', warningToCritical: '>' },
};

/** `>=` or `<`: how an alert compares a signal with its threshold. */
export function badComparison(direction: Direction): '>=' | '<' {
  return DIRECTIONS[direction].comparison;
}

/** Whether `value` is bad against `threshold`, as the alert's comparison decides it. */
export function isBad(direction: Direction, value: number, threshold: number): boolean {
  return direction === 'above' ? value >= threshold : value < threshold;
}
