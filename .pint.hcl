# pint (github.com/cloudflare/pint) configuration for the generated rule files.
# `npm run check` runs `pint --offline lint` on the rule files of a fresh build (in a temporary
# directory, from its root, so paths start with alerts/); the online checks run against a real
# Prometheus in test/validate/pint-online.test.ts, which adds a prometheus block to this file.

parser {
  # alertmanager.yaml, RUNBOOK.md and the rest of alerts/ are not rule files.
  include = ["alerts/.+\\.rules\\.yaml"]
}

# Every alert says what happened, what it means and where the runbook is (alerts/RUNBOOK.md
# has a section behind every runbook_url; test/builders/runbook/ checks the anchors).
rule {
  match {
    kind = "alerting"
  }
  annotation "summary" {
    required = true
    severity = "bug"
  }
  annotation "description" {
    required = true
    severity = "bug"
  }
  annotation "runbook_url" {
    required = true
    severity = "bug"
    value    = "https?://.+#mm2[a-z0-9]+"
    comment  = "runbook_url must point at the alert's section of RUNBOOK.md: <prometheus.runbookBaseUrl>#<alert name in lower case>"
  }
  label "severity" {
    required = true
    severity = "bug"
    values   = ["warning", "critical", "none"]
    comment  = "alertmanager.yaml routes on severity warning or critical; none is the Watchdog's, which pages nobody"
  }
}

# Recorded series keep the labels that say which Connect cluster and scrape job they come from,
# so that one Prometheus (or a Thanos/Mimir ruler) can hold several MM2 clusters.
rule {
  match {
    kind = "recording"
  }
  aggregate ".+" {
    keep     = ["cluster", "job"]
    severity = "bug"
  }
}

# The replication consumer's client id is the only place MM2 names the flow and the task of a
# consumer metric ("<source>-><target>|<connector>-<task>|replication-consumer"), in one label the
# exporter passes through; matching its parts is how the lag is told apart per flow, not a smell.
rule {
  match {
    kind = "recording"
    name = "mm2_flow:replication_lag_records:.+|mm2_flow_partition:records_lag:.+"
  }
  disable = ["promql/regexp"]
}

# The SLI's raw outage reads the signals' recorded series, which live in another group (another
# file): Prometheus may evaluate it one evaluation interval after them. Group offsets are fixed,
# so the lag is the same at an outage's start and end: the outage is counted shifted, not
# shortened, and the SLO's windows (5m and longer) absorb the shift.
rule {
  match {
    kind = "recording"
    name = "mm2_flow:slo_outage:bool"
  }
  disable = ["rule/dependency"]
}

# The SLO's day-long windows and the remaining budget are evaluated in their own, slower group
# (alerts/slo.ts: they re-read days of samples and move by a negligible share of themselves in
# one evaluation). They read the SLI recorded by the main SLO group: reading it up to one
# evaluation late shifts a window by one evaluation out of thousands.
rule {
  match {
    kind = "recording"
    name = "mm2_flow:slo_unavailable:ratio_avg[0-9]+d|mm2_flow:slo_error_budget_remaining:ratio"
  }
  disable = ["rule/dependency"]
}

# Online checks (a prometheus block, as test/validate/pint-online.test.ts adds): the task status
# series carries the task's current state as its `status` label, so `status="failed"` exists
# only while a task has failed; its absence from a healthy cluster is no problem.
check "promql/series" {
  ignoreLabelsValue = {
    "kafka_connect_connector_task_status" = ["status"]
  }
}
