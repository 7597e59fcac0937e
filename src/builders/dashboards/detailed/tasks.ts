import * as units from '@grafana/grafana-foundation-sdk/units';
import { type Model, signal } from '../../../model/model.js';
import type { Row } from '../layout.js';
import { metricHelp as help, metricPanel, query, timeseriesPanel } from '../panels.js';
import type { DetailedQueries } from './queries.js';

/** The chosen connectors' source tasks: what each polls, writes and holds in flight. */
export function sourceTaskRow(model: Model, q: DetailedQueries): Row {
  const legend = '{{connector}} task {{task}}';
  const active = signal(model, 'activeRecords');
  return {
    number: 2,
    title: 'Source tasks',
    panels: (id) => [
      metricPanel(
        { id: id(1), title: 'Records polled from the source per second, per task', metric: 'sourceRecordPollTotal', unit: units.RecordsPerSecond },
        q.sourceTask.pollRate,
        legend,
      ),
      metricPanel(
        { id: id(2), title: 'Records written to the target per second, per task', metric: 'sourceRecordWriteTotal', unit: units.RecordsPerSecond },
        q.sourceTask.writeRate,
        legend,
      ),
      timeseriesPanel({
        id: id(3),
        title: 'In-flight records, per task',
        description: `${help('sourceRecordActiveCount')} The alert applies to the flow's sum (${active.def.title}).`,
        unit: units.Short,
      }).withTarget(query(q.sourceTask.inFlight, legend)),
      metricPanel(
        { id: id(4), title: 'Poll batch time (avg), per task', metric: 'pollBatchAvgTimeMs', unit: units.Milliseconds },
        q.sourceTask.pollBatchTime,
        legend,
      ),
    ],
  };
}
