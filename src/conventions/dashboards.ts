/**
 * The generated dashboards' names and titles, and the names of their template variables: what
 * the dashboard builders write and what the validation substitutes when it checks a panel.
 */
export const DASHBOARDS = {
  replication: { name: 'mm2-replication', title: 'MM2 / Replication (SLA)' },
  detailed: { name: 'mm2-detailed-metrics', title: 'MM2 / Detailed metrics' },
} as const;
export type DashboardKey = keyof typeof DASHBOARDS;

export const DASHBOARD_TAGS = ['mm2', 'kafka', 'mirrormaker2'] as const;

/** The dashboards' template variables (the same names on both, so that links carry them). */
export const VAR = {
  datasource: 'datasource',
  cluster: 'cluster',
  job: 'job',
  flow: 'flow',
  connector: 'connector',
  topic: 'topic',
  instance: 'instance',
} as const;
export type VariableName = (typeof VAR)[keyof typeof VAR];
