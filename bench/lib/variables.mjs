// Dashboard variables as Grafana fills them when a dashboard opens on its defaults: each
// `label_values(selector, label)` query asked of Prometheus over the time range, in the
// dashboard's order (a variable may use the ones before it), "All" expanded to every value
// unless the variable has its own allValue.
import { apiGet } from './prometheus.mjs';

/** Grafana's Prometheus datasource escaping of multi-value variables (prometheusSpecialRegexEscape). */
function regexEscape(value) {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/** What Grafana substitutes for a multi-value or "All" variable: escaped values, `(a|b)` when more than one. */
function multiValue(values) {
  const escaped = values.map(regexEscape);
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

/**
 * @param {string} url Prometheus base URL
 * @param {object} dashboard the dashboard JSON
 * @param {{ start: number, end: number }} range
 * @param {(expr: string, variables: Record<string,string>) => string} substitute Grafana's substitution (variables and built-ins)
 * @returns {Promise<Record<string, string>>}
 */
export async function resolveVariables(url, dashboard, range, substitute) {
  const vars = {};
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type === 'datasource') {
      vars[v.name] = 'prometheus';
      continue;
    }
    if (v.type !== 'query') throw new Error(`variable ${v.name}: type ${v.type} is not resolved by the benchmark`);
    const query = typeof v.query === 'string' ? v.query : v.query?.query;
    const m = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/s.exec(query ?? '');
    if (!m) throw new Error(`variable ${v.name}: only label_values(selector, label) queries are resolved, got ${query}`);
    const values = await apiGet(url, `label/${m[2]}/values`, { 'match[]': substitute(m[1], vars), start: range.start, end: range.end });
    if (values.length === 0) throw new Error(`variable ${v.name}: ${query} has no value in the data`);
    const all = v.current?.value === '$__all' || (Array.isArray(v.current?.value) && v.current.value.includes('$__all'));
    // "All" is the variable's allValue when it has one (Grafana substitutes it as written), else every value.
    vars[v.name] = all && v.allValue ? v.allValue : all || v.multi ? multiValue(all ? values : values.slice(0, 1)) : values[0];
  }
  return vars;
}
