/**
 * Prometheus durations ("30s", "1h30m"). Kept as the text a reviewer typed, with the
 * number of seconds next to it so that comparisons never re-parse.
 */
export const DAY_SECONDS = 86_400;
/** Prometheus' `y` and the SLA's year (`sla.maxDowntimePerYear`): 365 days, leap years aside. */
export const YEAR_DAYS = 365;
export const YEAR_SECONDS = YEAR_DAYS * DAY_SECONDS;

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: DAY_SECONDS, w: 7 * DAY_SECONDS, y: YEAR_SECONDS } as const;
type DurationUnit = keyof typeof UNIT_SECONDS;

// Prometheus requires units in decreasing order, each at most once (model/time.ParseDuration).
const ORDER: readonly DurationUnit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

declare const durationBrand: unique symbol;
/** A string that Prometheus accepts as a duration. Only `parseDuration` makes one. */
export type Duration = string & { readonly [durationBrand]: true };

export class DurationError extends Error {}

export function parseDuration(text: string): Duration {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) {
    throw new DurationError(`"${text}" is not a Prometheus duration (e.g. 30s, 5m, 1h30m)`);
  }
  let last = -1;
  for (const [, , unit] of text.matchAll(PART)) {
    const rank = ORDER.indexOf(unit as DurationUnit);
    if (rank <= last) throw new DurationError(`"${text}": units must go from largest to smallest, each once`);
    last = rank;
  }
  if (durationSeconds(text as Duration) <= 0) throw new DurationError(`"${text}" must be longer than zero`);
  return text as Duration;
}

/** Prometheus' `for: 0s`: an alert that fires at the first evaluation its condition holds (never parsed from a file: a `for` there must be longer). */
export const NO_WAIT = '0s' as Duration;

export function durationSeconds(d: Duration | string): number {
  let total = 0;
  for (const [, n, unit] of String(d).matchAll(PART)) total += Number(n) * UNIT_SECONDS[unit as DurationUnit];
  return total;
}

/** The shortest Prometheus text for a whole number of seconds (e.g. 5400 -> "1h30m"). */
export function formatSeconds(seconds: number): Duration {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new DurationError(`${seconds}s is not a positive whole number of seconds`);
  let rest = seconds;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_SECONDS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_SECONDS[unit];
    }
  }
  return out as Duration;
}
