/**
 * Label names the bundle's rules, alerts and dashboards agree on, besides the exporter's own
 * labels (those are the label contract, src/metrics/names.ts).
 */

/** Labels every scraped series carries (added by Prometheus and the scrape config), not by the exporter. */
export const TARGET_LABELS = ['job', 'instance', 'cluster'] as const;
export type TargetLabel = (typeof TARGET_LABELS)[number];

/**
 * The labels that tell one Connect cluster's series from another's when several bundles share a
 * Prometheus (or a Thanos/Mimir view): every recording rule, alert, SLO series and inhibition keeps
 * them, as the kubernetes and Kafka mixins keep `cluster`. These two are always group labels; the
 * model's `prometheus.groupLabels` may add target labels of its own (e.g. `env`), and the model
 * gives every group label its value.
 */
export const REQUIRED_GROUP_LABELS = ['cluster', 'job'] as const satisfies readonly TargetLabel[];

/** The label recording rules add to say which replication flow a series belongs to. */
export const FLOW_LABEL = 'flow';

/**
 * The label every alert of the bundle carries, and no other team's: the bundle's Alertmanager
 * routes and inhibitions match on it, so that merged into a shared Alertmanager they touch the
 * bundle's alerts only.
 */
export const BUNDLE_LABEL = 'mm2_bundle';
export const BUNDLE_LABEL_VALUE = 'mm2-monitoring';
