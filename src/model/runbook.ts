import { TOPIC_ADVICE } from './signal-topics/index.js';
import type { RunbookAdvice } from './signal-topics/topic.js';
import type { SIGNAL_DEFS, SignalId } from './signals.js';

/**
 * The runbook's advice, keyed by the signals' `runbook` topic: signals diagnosed the same way
 * (average and worst-partition latency) share it. A signal's advice is written in its topic
 * module (signal-topics/), beside its definition; the record is total over the topics the
 * signals declare, so a new signal with a new runbook topic does not compile until its advice
 * is written; an alert whose signal has no topic at all fails the build (src/builders/runbook/).
 *
 * Written from the MM2 tuning guide (sections 2, 4 and 5: worker, connector and producer/
 * consumer settings, deployment through the REST API) and Kafka's Connect and MirrorMaker
 * documentation, with the placeholders of signal-topics/advice.ts.
 */
export type { RunbookAdvice } from './signal-topics/topic.js';

/** The runbook topic of the SLO burn-rate alerts (they have no signal of their own). */
export const SLO_RUNBOOK_TOPIC = 'slo-burn-rate';
/**
 * The runbook topic of the Watchdog, the always-firing alert of the alerting pipeline itself.
 * Its advice names its receiver and rule group as `<watchdog receiver>` and `<watchdog group>`:
 * the runbook writes the model's own (receivers and prefixes come from the override file).
 */
export const WATCHDOG_RUNBOOK_TOPIC = 'watchdog';
export type RunbookTopic = (typeof SIGNAL_DEFS)[SignalId]['runbook'] | typeof SLO_RUNBOOK_TOPIC | typeof WATCHDOG_RUNBOOK_TOPIC;

/**
 * The advice of every runbook topic: the signals' topics from their modules (signal-topics/),
 * the SLO burn-rate alerts' and the Watchdog's here.
 */
export const RUNBOOK_ADVICE: Readonly<Record<RunbookTopic, RunbookAdvice>> = {
  ...TOPIC_ADVICE,
  [SLO_RUNBOOK_TOPIC]: {
    confirm: [
      'The cause\'s own alert may still be pending: find it among `ALERTS{flow="<flow>"}` (pending and firing) in Prometheus, or in the "alerts firing" panel of the MM2 / Replication dashboard once it fires.',
      'The SLO panels of that dashboard show the budget left, the burn rate over each window and the unavailability, evaluation by evaluation: an outage that comes and goes shows as a comb.',
    ],
    fix: [
      'Fix the cause, with its own section of this runbook. A page resolves once its short window has been free of downtime for its keep_firing_for; the ticket once its short windows are clean.',
    ],
    escalate: [
      'An outage that comes and goes with no cause that holds long enough to alert on its own: the team that runs Connect, with the unavailability panel.',
    ],
  },
  [WATCHDOG_RUNBOOK_TOPIC]: {
    confirm: [
      "This alert fires all the time by design; it is routed to its own receiver (<watchdog receiver> in alertmanager.yaml), a dead man's switch service that raises the alarm when it stops arriving. " +
        'If that service alarms, find where the chain broke, from Prometheus onward.',
      'Prometheus up and evaluating the rules: its `/rules` page lists the <watchdog group> group with a recent last evaluation; `ALERTS{alertname="MM2Watchdog"}` returns one series.',
      'Prometheus reaches Alertmanager: its `/status` page lists the Alertmanager, and `prometheus_notifications_errors_total` or `prometheus_notifications_dropped_total` do not grow.',
      'Alertmanager holds the alert and delivers it: `amtool alert query alertname=MM2Watchdog --alertmanager.url=<alertmanager>` and `alertmanager_notifications_failed_total{integration=...}`.',
    ],
    fix: [
      'Prometheus down or the rule files not loaded (a failed reload after a rule change is logged, `prometheus_config_last_reload_successful` is 0): restart it or fix the rule files (`promtool check rules alerts/*.rules.yaml`).',
      "Alertmanager unreachable or not delivering: restart it, or fix the receiver (URL, credentials, the dead man's switch service's token).",
    ],
    escalate: [
      'Until the Watchdog arrives again no alert of this bundle reaches anyone: tell the on-call of the flows now, and hand Prometheus or Alertmanager to the team that runs the monitoring platform.',
    ],
  },
};
