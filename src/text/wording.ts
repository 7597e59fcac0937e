import { DIRECTIONS, type Direction } from '../conventions/direction.js';
import { UNITS, type Unit } from '../conventions/units.js';

/**
 * Numbers and quantities as a person reads them: "1 record", "10,000 records", "about 4 min 56 s".
 * Every number the report and the alerts' annotations print goes through here, so no sentence
 * says "1 errors" or "295.89041096 s". Shared by the report and the alert builders, so that
 * neither imports the other.
 */

/** A unit's singular and plural, e.g. ["record", "records"], ["%", "%"]. */
export function unitWords(unit: Unit): readonly [one: string, many: string] {
  return UNITS[unit].words;
}

/** "1 record", "3 records": `one` and `many` are the word's two forms. */
export function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** Whole numbers grouped by thousands ("10,000"); others to at most three significant decimals. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = Number.isInteger(n) ? String(Math.abs(n)) : String(Number(Math.abs(n).toPrecision(Math.max(3, Math.ceil(Math.log10(Math.abs(n) + 1)) + 2))));
  const [int = '', frac] = text.split('.');
  const grouped = int.length > 3 ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int;
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** A value with its unit, e.g. "1 record", "5,000 ms (5 s)", "99 %". */
export function quantity(value: number, unit: Unit): string {
  const [one, many] = UNITS[unit].words;
  if (unit === 'percent') return `${formatNumber(value)} %`;
  if (unit === 'ms') return value >= 1000 ? `${formatNumber(value)} ms (${humanDuration(value / 1000)})` : `${formatNumber(value)} ms`;
  return plural(value, one, many);
}

/** When a value is bad: ">= 1,000 ms" or "< 1 worker", the comparison the alerts make. */
export function badWhen(direction: Direction, threshold: number, unit: Unit): string {
  return `${DIRECTIONS[direction].comparison} ${quantity(threshold, unit)}`;
}

/** A duration rounded for reading, and the number of seconds it stands for. */
function rounded(seconds: number): [text: string, value: number] {
  if (seconds < 10) {
    const r = Math.round(seconds * 10) / 10;
    return [`${r} s`, r];
  }
  if (seconds < 59.5) {
    const r = Math.round(seconds);
    return [`${r} s`, r];
  }
  if (seconds < 3570) {
    const r = Math.round(seconds);
    const [m, s] = [Math.floor(r / 60), r % 60];
    return [s ? `${m} min ${s} s` : `${m} min`, r];
  }
  if (seconds < 86_370) {
    const minutes = Math.round(seconds / 60);
    const [h, m] = [Math.floor(minutes / 60), minutes % 60];
    return [m ? `${h} h ${m} min` : `${h} h`, minutes * 60];
  }
  const hours = Math.round(seconds / 3600);
  const [d, h] = [Math.floor(hours / 24), hours % 24];
  return [h ? `${d} d ${h} h` : `${d} d`, hours * 3600];
}

/** "4 min 56 s", "2 d 2 h": seconds to the second under an hour, minutes under a day, hours beyond. */
export function humanDuration(seconds: number): string {
  return rounded(seconds)[0];
}

/** As humanDuration, with "about " when rounding changed the value. */
export function aboutDuration(seconds: number): string {
  const [text, value] = rounded(seconds);
  return Math.abs(value - seconds) < 1e-9 ? text : `about ${text}`;
}

/**
 * A ratio close to 1 as a percent with as many decimals as it takes to show three significant
 * digits of what is missing: 0.999885844748858 -> "99.9886 %", 0.999 -> "99.9 %".
 */
export function nearOnePercent(ratio: number): string {
  const missing = (1 - ratio) * 100;
  const decimals = missing > 0 ? Math.max(0, Math.ceil(-Math.log10(missing)) + 2) : 0;
  return `${String(Number((ratio * 100).toFixed(decimals)))} %`;
}

/** A small ratio as a percent with three significant digits: 0.000114155 -> "0.0114 %". */
export function smallPercent(ratio: number): string {
  return `${String(Number((ratio * 100).toPrecision(3)))} %`;
}

/** "one", "two", ... for counts a sentence spells out; digits beyond ten. */
export function countWord(n: number): string {
  return ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][n] ?? String(n);
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** "a", "a and b", "a, b and c". */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
