import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import type { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import type { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

export type AnyPanel = StatBuilder | TimeseriesBuilder | TableBuilder;

/** A row and its panels. Panel ids are `100 * row + n`, so adding a panel does not renumber other rows (viewPanel links survive). */
export interface Row {
  /** Fixed per row (not its position), so that leaving a row out does not renumber the others. */
  readonly number: number;
  readonly title: string;
  readonly panels: (id: (n: number) => number) => AnyPanel[];
}

/** Adds the rows in order; the SDK lays the panels out left to right from their span and height. */
export function withRows(builder: dashboard.DashboardBuilder, rows: readonly Row[]): dashboard.DashboardBuilder {
  const numbers = rows.map((r) => r.number);
  if (new Set(numbers).size !== numbers.length) throw new Error(`row numbers must be distinct: ${numbers.join(', ')}`);
  for (const row of rows) {
    const base = row.number * 100;
    builder.withRow(new dashboard.RowBuilder(row.title).id(base));
    const panels = row.panels((n) => {
      if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`panel number ${n} in row "${row.title}" must be 1..99`);
      return base + n;
    });
    for (const p of panels) builder.withPanel(p);
  }
  return builder;
}
