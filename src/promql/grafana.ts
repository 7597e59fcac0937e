import { type Duration, durationSeconds, formatSeconds } from '../conventions/duration.js';
import { escapeRegex } from './matcher.js';

/**
 * Grafana expands these in panel queries before Prometheus sees them. To check a panel's
 * PromQL, substitute what Grafana would: the built-in intervals and a value per variable.
 */
export interface GrafanaSubstitution {
  /** Value of $__rate_interval, $__interval and $__range (Grafana's own are computed at query time). */
  readonly scrapeInterval: Duration;
  readonly range: Duration;
  /** Dashboard variables: name -> a value Grafana could put there. */
  readonly variables: Readonly<Record<string, string>>;
}

const VARIABLE = /\$\{([A-Za-z0-9_]+)(?::[A-Za-z]+)?\}|\[\[([A-Za-z0-9_]+)(?::[A-Za-z]+)?\]\]|\$([A-Za-z0-9_]+)/g;

export function substituteGrafanaVariables(expr: string, sub: GrafanaSubstitution): string {
  const scrape = durationSeconds(sub.scrapeInterval);
  const builtins: Record<string, string> = {
    // Grafana: max($__interval + scrape interval, 4 * scrape interval)
    __rate_interval: formatSeconds(4 * scrape),
    __interval: formatSeconds(scrape),
    __range: sub.range,
    __range_s: String(durationSeconds(sub.range)),
    __interval_ms: String(scrape * 1000),
  };
  return expr.replace(VARIABLE, (whole, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    const value = builtins[name] ?? sub.variables[name];
    if (value === undefined) throw new Error(`unknown Grafana variable ${whole} in: ${expr}`);
    return value;
  });
}

/**
 * What Grafana substitutes for a multi-value variable with several values selected: the values
 * regex-escaped for a PromQL string literal (hence the doubled backslash) and joined as `(a|b)`.
 */
export function multiValue(values: readonly string[]): string {
  const escaped = [...new Set(values)].sort().map((x) => escapeRegex(x).replace(/\\/g, '\\\\'));
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}
