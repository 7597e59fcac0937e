import * as units from '@grafana/grafana-foundation-sdk/units';
import { type Model, signal } from '../../../model/model.js';
import { REBALANCE_WINDOW } from '../../../model/signals.js';
import type { Row } from '../layout.js';
import { metricHelp as help, metricPanel, query, signalScale, timeseriesPanel } from '../panels.js';
import type { DetailedQueries } from './queries.js';

/** The Connect workers and their JVMs. */

export function workerRow(model: Model, q: DetailedQueries): Row {
  return {
    number: 6,
    title: 'Connect workers',
    panels: (id) => [
      metricPanel({ id: id(1), title: 'Tasks per worker', metric: 'workerTaskCount', unit: units.Short }, q.worker.tasks, '{{instance}}'),
      metricPanel(
        { id: id(2), title: 'Running tasks per connector and worker', metric: 'workerConnectorRunningTaskCount', unit: units.Short },
        q.worker.runningTasks,
        '{{instance}} {{connector}}',
      ),
      timeseriesPanel({
        id: id(3),
        title: `Rebalances in the last ${REBALANCE_WINDOW}, per worker`,
        description: `${help('rebalancesTotal')} The alert applies to the worker that saw the most.`,
        ...signalScale(signal(model, 'rebalanceRate')),
      }).withTarget(query(q.worker.rebalancesRecent, '{{instance}}')),
      metricPanel(
        { id: id(4), title: 'Rebalance duration (avg)', metric: 'rebalanceAvgTimeMs', unit: units.Milliseconds },
        q.worker.rebalanceTime,
        '{{instance}}',
      ),
      metricPanel({ id: id(5), title: 'Exporter scrape up', metric: 'up', unit: units.Short }, q.worker.up, '{{instance}}'),
    ],
  };
}

export function jvmRow(q: DetailedQueries): Row {
  return {
    number: 7,
    title: 'JVM of the workers',
    panels: (id) => [
      timeseriesPanel({ id: id(1), title: 'Heap used', description: help('jvmMemoryUsedBytes'), unit: units.BytesIEC })
        .withTarget(query(q.jvm.heapUsed, '{{instance}} used', 'A'))
        .withTarget(query(q.jvm.heapMax, '{{instance}} max', 'B')),
      timeseriesPanel({
        id: id(2),
        title: 'Heap used / max',
        description: `${help('jvmMemoryUsedBytes')} Divided by ${help('jvmMemoryMaxBytes')}`,
        unit: units.PercentUnit,
      }).withTarget(query(q.jvm.heapShare, '{{instance}}')),
      timeseriesPanel({
        id: id(3),
        title: 'Time spent in GC',
        description: `${help('jvmGcCollectionSecondsSum')} Shown as the fraction of wall-clock time (seconds of GC per second).`,
        unit: units.PercentUnit,
      }).withTarget(query(q.jvm.gcTime, '{{instance}} {{gc}}')),
      metricPanel({ id: id(4), title: 'GC runs per second', metric: 'jvmGcCollectionSecondsCount', unit: units.Short }, q.jvm.gcRuns, '{{instance}} {{gc}}'),
    ],
  };
}
