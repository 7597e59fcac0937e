import { DASHBOARDS } from '../conventions/dashboards.js';

/**
 * Where each builder writes its files, declared once: the builders write there, the bundle
 * reader classifies files by it, the Kubernetes wrapper and the tests look files up by it.
 */

/**
 * The files of alerts/. Rule files end in `rules.yaml`: the scrape configuration's rule_files
 * globs (RULE_FILE_GLOBS) and `npm run check` (promtool check rules) pick them up by that
 * suffix. Files are listed in evaluation order of their dependencies (signals, then what reads
 * them), which is the order promtool test rules evaluates them in.
 */
export const ALERT_FILES = {
  recording: 'alerts/mm2-recording.rules.yaml',
  alerts: 'alerts/mm2-alerts.rules.yaml',
  slo: 'alerts/mm2-slo.rules.yaml',
  alertmanager: 'alerts/alertmanager.yaml',
  /** The same routes, receivers and inhibitions, to merge into an Alertmanager shared with other teams. */
  alertmanagerFragment: 'alerts/alertmanager-fragment.yaml',
} as const;
export const RULE_FILES = [ALERT_FILES.recording, ALERT_FILES.alerts, ALERT_FILES.slo] as const;

/**
 * Globs of the rule files under ruleFilesDir: the alerts/ files holding rule groups are named
 * `*rules.yaml` or `*.rules.yml`, so that a team's own rule files beside the bundle's are
 * loaded (and checked) too, and alertmanager.yaml or thresholds.json never are.
 */
export const RULE_FILE_GLOBS = ['*rules.yaml', '*.rules.yml'] as const;

/** What the scrape builder writes, and where each file goes (README "Outputs"). */
export const SCRAPE_FILES = {
  /** The JMX exporter config of every Connect worker (the tuning guide's /etc/kafka-connect/jmx_exporter.yml). */
  exporter: 'scrape/jmx-exporter.yaml',
  /** A complete minimal prometheus.yml: intervals, rule_files for alerts/, the workers' job with static targets. */
  prometheus: 'scrape/prometheus.yml',
  /** The same job with targets from file_sd, to paste into an existing Prometheus configuration. */
  fileSdJob: 'scrape/scrape-file-sd.yaml',
  /** The file_sd target list, to install at prometheus.fileSdPath. */
  fileSdTargets: 'scrape/file-sd-targets.json',
} as const;

export const DASHBOARD_FILES = {
  replication: `dashboards/${DASHBOARDS.replication.name}.json`,
  detailed: `dashboards/${DASHBOARDS.detailed.name}.json`,
} as const;

/** The dashboards of a deployment named by its prefix ('' keeps DASHBOARD_FILES). */
export function dashboardFiles(prefix: string): Record<keyof typeof DASHBOARD_FILES, string> {
  return {
    replication: prefixedPath(prefix, DASHBOARD_FILES.replication),
    detailed: prefixedPath(prefix, DASHBOARD_FILES.detailed),
  };
}

/**
 * A file of one Connect cluster, named by its prefix in the same directory
 * (`alerts/paris-prod-mm2-alerts.rules.yaml`): several clusters' files live side by side in one
 * output directory, one rule_files directory, one file_sd directory.
 */
export function prefixedPath(prefix: string, path: string): string {
  return prefix === '' ? path : path.replace(/[^/]+$/, (file) => `${prefix}-${file}`);
}

/** A file Prometheus loads as rules: under alerts/, matching one of RULE_FILE_GLOBS. */
export function isRuleFile(path: string): boolean {
  const m = /^alerts\/([^/]+)$/.exec(path);
  return m !== null && RULE_FILE_GLOBS.some((glob) => globRegex(glob).test(m[1]!));
}

/** A file Grafana's file provider loads as a dashboard: a JSON file under dashboards/. */
export function isDashboardFile(path: string): boolean {
  return /^dashboards\/[^/]+\.json$/.test(path);
}

function globRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
}
