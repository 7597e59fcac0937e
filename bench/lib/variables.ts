// Dashboard variables as Grafana fills them when a dashboard opens on its defaults: each
// `label_values(selector, label)` query asked of Prometheus over the time range, in the
// dashboard's order (a variable may use the ones before it), "All" expanded to every value
// unless the variable has its own allValue.
import { apiGet } from './prometheus.js';

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Grafana's Prometheus datasource escaping of multi-value variables (prometheusSpecialRegexEscape). */
function regexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/** What Grafana substitutes for a multi-value or "All" variable: escaped values, `(a|b)` when more than one. */
function multiValue(values: readonly string[]): string {
  const escaped = values.map(regexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/**
 * @param url Prometheus base URL
 * @param dashboard the dashboard JSON, as parsed
 * @param substitute Grafana's substitution (variables and built-ins)
 * @returns each variable's value, by name
 */
export async function resolveVariables(
  url: string,
  dashboard: unknown,
  range: { readonly start: number; readonly end: number },
  substitute: (expr: string, variables: Readonly<Record<string, string>>) => string,
): Promise<Record<string, string>> {
  const vars: Record<string, string> = {};
  const list = isObject(dashboard) && isObject(dashboard.templating) && Array.isArray(dashboard.templating.list) ? dashboard.templating.list : [];
  for (const v of list as unknown[]) {
    if (!isObject(v) || typeof v.name !== 'string') throw new Error(`dashboard variable without a name: ${JSON.stringify(v)}`);
    if (v.type === 'datasource') {
      vars[v.name] = 'prometheus';
      continue;
    }
    if (v.type !== 'query') throw new Error(`variable ${v.name}: type ${String(v.type)} is not resolved by the benchmark`);
    const query = typeof v.query === 'string' ? v.query : isObject(v.query) && typeof v.query.query === 'string' ? v.query.query : undefined;
    const m = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/s.exec(query ?? '');
    if (!m) throw new Error(`variable ${v.name}: only label_values(selector, label) queries are resolved, got ${query}`);
    const [, selector = '', label = ''] = m;
    const values = await apiGet<string[]>(url, `label/${label}/values`, { 'match[]': substitute(selector, vars), start: range.start, end: range.end });
    const first = values[0];
    if (first === undefined) throw new Error(`variable ${v.name}: ${query} has no value in the data`);
    const current = isObject(v.current) ? v.current.value : undefined;
    const all = current === '$__all' || (Array.isArray(current) && current.includes('$__all'));
    const allValue = typeof v.allValue === 'string' ? v.allValue : '';
    // "All" is the variable's allValue when it has one (Grafana substitutes it as written), else every value.
    vars[v.name] = all && allValue ? allValue : all || v.multi ? multiValue(all ? values : values.slice(0, 1)) : first;
  }
  return vars;
}
