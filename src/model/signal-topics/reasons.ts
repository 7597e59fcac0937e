/** Reasons shared by the default tiers of several signals: one sentence, one place. */

export const WARN_HOLD =
  'held long enough that a burst of a few minutes (a rebalance, a producer retry storm) warns nobody; the guide has no warning alert on it';
export const REBALANCE_GAP =
  "a worker restart leaves its tasks unassigned for up to the guide's session.timeout.ms (30 s) plus scheduled.rebalance.max.delay.ms (60 s)";
export const NO_RECORDS =
  'a warning for the checkpoint and heartbeat connectors, which carry no records (offsets and heartbeats): the flow keeps replicating while they are down, and their alerts say what stops';
export const LIKE_LATENCY_CRITICAL =
  "as the guide's critical latency alert (§7 MM2ReplicationLatencyCritical): long enough to clear a rebalance gap, short enough to page while it matters";
