import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type Bundle, buildBundle } from '../../../src/bundle/bundle.js';
import { SLO_SERIES } from '../../../src/conventions/names.js';
import { ALERT_FILES, RULE_FILES, SCRAPE_FILES } from '../../../src/documents/paths.js';
import type { ExporterConfig, ExporterRule } from '../../../src/metrics/jmx-exporter.js';
import { METRICS } from '../../../src/metrics/names.js';
import { loadModel } from '../../../src/model/load.js';
import { SIGNAL_DEFS } from '../../../src/model/signals.js';
import { readBundleValues } from '../../../src/reader/read.js';
import { checkInput } from '../../../src/validate/check.js';
import { seriesExist } from '../../../src/validate/checks/series-exist.js';
import { bundleExpressions } from '../../../src/validate/expressions.js';

const model = loadModel();
const seriesProblems = (b: Bundle, m: typeof model) => seriesExist.run(checkInput(readBundleValues(b, m), m));
const bundle = buildBundle(model);

function withExporter(edit: (config: ExporterConfig) => ExporterConfig): Bundle {
  const config = parse(bundle.get(SCRAPE_FILES.exporter)!) as ExporterConfig;
  return new Map([...bundle, [SCRAPE_FILES.exporter, stringify(edit(config))]]);
}

const editRules = (f: (rules: readonly ExporterRule[]) => ExporterRule[]) => (c: ExporterConfig) => ({ ...c, rules: f(c.rules!) });

/** Where the bundle's own expressions read a metric (found textually, to know what to expect). */
function readersOf(name: string): string[] {
  return bundleExpressions(readBundleValues(bundle, model))
    .filter((e) => new RegExp(`\\b${name}\\b`).test(e.expr))
    .map((e) => `${e.file}: ${e.where}`);
}

/** The expressions a set of problems points at, as "file: where" (every problem must point at one). */
function locations(problems: readonly { file: string; message: string }[]): string[] {
  const expressions = bundleExpressions(readBundleValues(bundle, model));
  for (const p of problems)
    expect(
      expressions.some((e) => e.file === p.file && p.message.startsWith(`${e.where}: `)),
      p.message,
    ).toBe(true);
  return expressions.filter((e) => problems.some((p) => p.file === e.file && p.message.startsWith(`${e.where}: `))).map((e) => `${e.file}: ${e.where}`);
}

/** The rule of the MirrorSourceConnector gauges (named after the attribute), which serves recordAgeMsAvg among others. */
const isMirrorGaugeRule = (r: { pattern: string; name: string; type?: string }) =>
  r.pattern.includes('MirrorSourceConnector') && r.name.includes('$') && r.type === 'GAUGE';

describe('every query reads series that exist (mm2/series-exist)', () => {
  it('finds nothing to report in the generated bundle', () => {
    expect(seriesProblems(bundle, model)).toEqual([]);
  });

  it('names every expression left dangling when an exporter rule is removed', () => {
    const name = METRICS.taskStatus.name;
    expect(readersOf(name).length).toBeGreaterThan(0);
    const problems = seriesProblems(withExporter(editRules((rules) => rules.filter((r) => r.name !== name))), model);
    // The direct readers; the failed-task alerts, which select the source connector's series or the others' (a label
    // only the raw series gave); and the SLI's outage rule, which compares their recorded series with thresholds.
    const failedTaskAlerts = bundleExpressions(readBundleValues(bundle, model))
      .filter((e) => e.file === ALERT_FILES.alerts && e.expr.startsWith(`${SIGNAL_DEFS.failedTasks.record}{`))
      .map((e) => `${e.file}: ${e.where}`);
    expect(failedTaskAlerts.length).toBe(2);
    expect(locations(problems).sort()).toEqual(
      [...readersOf(name), ...failedTaskAlerts, `${ALERT_FILES.slo}: group mm2-slo-recording, record ${SLO_SERIES.outage}`].sort(),
    );
    // Every direct reader is named for the metric itself (a reader may have more to say, e.g. of its own series it reads back).
    for (const where of readersOf(name)) {
      const own = problems.filter((p) => `${p.file}: ${p.message}`.startsWith(`${where}: `));
      expect(
        own.some(
          (p) =>
            p.message.includes(`metric ${name} is produced neither by the JMX exporter rules`) &&
            /\n {4}in: .*kafka_connect_connector_task_status/.test(p.message),
        ),
        where,
      ).toBe(true);
    }
  });

  it('names the dangling expressions when a rule renames its metric', () => {
    // A metric with a rule of its own (the per-partition gauges share one rule named after the attribute).
    const name = METRICS.producerRecordQueueTimeAvg.name;
    const renamed = withExporter(editRules((rules) => rules.map((r) => (r.name === name ? { ...r, name: `${name}_v2` } : r))));
    const problems = seriesProblems(renamed, model);
    expect(locations(problems)).toEqual(readersOf(name));
    expect(problems[0]!.message).toContain(`metric ${name} is produced neither`);
  });

  it('sees a metric vanish when includeObjectNames stops reading its MBeans', () => {
    const problems = seriesProblems(
      withExporter((c) => ({ ...c, includeObjectNames: c.includeObjectNames!.filter((p) => !p.includes('producer-metrics')) })),
      model,
    );
    // Every producer-metrics series comes from the MBeans just dropped, so every reader of one must be named.
    const producerMetrics = Object.values(METRICS).filter((m) => m.name.startsWith('kafka_producer_producer_metrics_'));
    expect(producerMetrics.length).toBeGreaterThan(2);
    const readers = producerMetrics.flatMap((m) => readersOf(m.name));
    expect(locations(problems).sort()).toEqual([...new Set(readers)].sort());
  });

  it('reports a label lost on Kafka 3.7 only, and a label no rule exports', () => {
    const problems = seriesProblems(
      withExporter(
        editRules((rules) =>
          rules.map((r) => (isMirrorGaugeRule(r) ? { ...r, pattern: r.pattern.replace('(?:, source=([^,>]+))?', ', source=([^,>]+)') } : r)),
        ),
      ),
      model,
    );
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems)
      expect(p.message).toMatch(/metric kafka_connect_mirror_source_connector_\w+ is produced neither.* \[only with the Kafka 3\.7 MBean names\]/);
    expect(problems.some((p) => p.message.includes(`metric ${METRICS.recordAgeMsAvg.name} is produced neither`))).toBe(true);

    const noTopic = seriesProblems(
      withExporter(editRules((rules) => rules.map((r) => (isMirrorGaugeRule(r) ? { ...r, labels: { ...r.labels, topic: '' } } : r)))),
      model,
    );
    expect(noTopic.length).toBeGreaterThan(0);
    expect(noTopic[0]!.message).toMatch(/label "topic" is not on metric kafka_connect_mirror_source_connector_\w+/);
  });

  it("catches the tuning guide's own defects: filters matching none of the model's connectors or clients, unknown metrics", () => {
    const seedRules = {
      groups: [
        {
          name: 'mm2-sla-alerts',
          rules: [
            { alert: 'MM2TaskFailed', expr: 'count(kafka_connect_connector_task_status{status="failed",connector=~".*mirror.*"}) > 0' },
            { alert: 'MM2ProducerErrors', expr: 'sum(rate(kafka_producer_producer_metrics_record_error_total{client_id=~".*mirror.*"}[5m])) > 0' },
            { alert: 'MM2ProducerErrors1x', expr: 'sum(rate(kafka_producer_producer_metrics_record_error[5m])) > 0' },
          ],
        },
      ],
    };
    const problems = seriesProblems(new Map([...bundle, ['alerts/seed-rules.yaml', stringify(seedRules)]]), model);
    expect(problems.map((p) => p.file)).toEqual(['alerts/seed-rules.yaml', 'alerts/seed-rules.yaml', 'alerts/seed-rules.yaml']);
    expect(problems[0]!.message).toContain(
      'group mm2-sla-alerts, alert MM2TaskFailed: kafka_connect_connector_task_status{status="failed",connector=~".*mirror.*"}: no series',
    );
    expect(problems[0]!.message).toContain(
      'connector values: nemo-heartbeats-at-source, nemo-to-applicatif-checkpoint, nemo-to-applicatif-heartbeat, nemo-to-applicatif-source',
    );
    expect(problems[1]!.message).toContain('client_id=~".*mirror.*"');
    expect(problems[2]!.message).toContain('metric kafka_producer_producer_metrics_record_error is produced neither');
  });

  it('follows recorded series: a reader of a recording rule breaks when the rule goes, and label values are checked', () => {
    type RuleFile = { groups: { name: string; rules: { record?: string; alert?: string; expr: string; labels?: Record<string, string> }[] }[] };
    const files = new Map(RULE_FILES.map((f) => [f, parse(bundle.get(f)!) as RuleFile]));
    const recording = files.get(ALERT_FILES.recording)!;
    const recorded = recording.groups.flatMap((g) => g.rules).find((r) => r.record && r.labels?.flow)!;
    const readers = [...files.values()].flatMap((f) =>
      f.groups.flatMap((g) =>
        g.rules
          .filter((r) => r.expr.includes(recorded.record!) && r.record !== recorded.record)
          .map((r) => `group ${g.name}, ${r.alert ? `alert ${r.alert}` : `record ${r.record}`}`),
      ),
    );
    expect(readers.length).toBeGreaterThan(0);
    const without = { groups: recording.groups.map((g) => ({ ...g, rules: g.rules.filter((r) => r.record !== recorded.record) })) };
    const problems = seriesProblems(new Map([...bundle, [ALERT_FILES.recording, stringify(without)]]), model);
    for (const where of readers)
      expect(
        problems.some((p) => p.message.startsWith(`${where}: metric ${recorded.record} is produced neither`)),
        where,
      ).toBe(true);

    const extra = {
      groups: [
        {
          name: 'extra',
          rules: [
            { alert: 'OtherFlow', expr: `${recorded.record}{flow="applicatif->nemo"} > 1` },
            { alert: 'AnyAlert', expr: 'ALERTS{alertname="NoSuchAlert"}' },
          ],
        },
      ],
    };
    const values = seriesProblems(new Map([...bundle, ['alerts/extra-rules.yaml', stringify(extra)]]), model);
    expect(values.map((p) => p.message.split('\n')[0])).toEqual([
      `group extra, alert OtherFlow: ${recorded.record}{flow="applicatif->nemo"}: no series of metric ${recorded.record} has flow="applicatif->nemo" (flow values: nemo->applicatif)`,
      expect.stringMatching(
        /^group extra, alert AnyAlert: ALERTS\{alertname="NoSuchAlert"\}: no series of metric ALERTS has alertname="NoSuchAlert" \(alertname values: AnyAlert, /,
      ),
    ]);
  });

  it('checks dashboard panels after substituting their variables, and names the panel', () => {
    const dashboard = {
      panels: [
        {
          title: 'Replication latency',
          targets: [
            { refId: 'A', expr: `max by (topic) (${METRICS.replicationLatencyMsMax.name}{job="mm2-connect", target="applicatif", topic=~"nemo\\\\..+"})` },
            { refId: 'B', expr: `sum(${METRICS.sourceRecordActiveCount.name}{connector="$connector", task_id="0"})` },
          ],
        },
      ],
    };
    const problems = seriesProblems(new Map([...bundle, ['dashboards/test.json', JSON.stringify(dashboard)]]), model);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('dashboards/test.json');
    expect(problems[0]!.message).toContain('panel "Replication latency", query B: ');
    expect(problems[0]!.message).toContain('label "task_id" is not on metric kafka_connect_source_task_metrics_source_record_active_count');
    expect(problems[0]!.message).toContain('in: sum(kafka_connect_source_task_metrics_source_record_active_count{connector="$connector", task_id="0"})');
  });
});
