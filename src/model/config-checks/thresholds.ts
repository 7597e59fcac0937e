import { DIRECTIONS, isBad } from '../../conventions/direction.js';
import { UNITS } from '../../conventions/units.js';
import type { Config } from '../config.js';
import type { ConfigProblem } from '../problems.js';
import { SIGNAL_DEFS, SIGNAL_IDS, type SignalDef } from '../signals.js';

/** Thresholds inside their unit's range (an alert that always or never fires is refused) and, per signal, warning less severe than critical. */
export function thresholdProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const id of SIGNAL_IDS) {
    const def: SignalDef = SIGNAL_DEFS[id];
    const { warning, critical } = config.thresholds[id];
    const [min, max] = UNITS[def.unit].range;
    const upper = def.unit === 'workers' ? config.workers.length : max;
    for (const [severity, t] of [
      ['warning', warning],
      ['critical', critical],
    ] as const) {
      if (!t) continue;
      const path = `thresholds.${id}.${severity}.threshold`;
      // above fires on value >= t: always when t <= min, never when t > upper.
      // below fires on value < t: never when t <= min, always when t > upper.
      if (t.threshold <= min || t.threshold > upper) {
        problems.push({
          path,
          message: `expected a value in (${min}, ${upper}] for a ${def.unit} signal that is bad ${DIRECTIONS[def.direction].bound} it; ${t.threshold} makes an alert that ${isBad(def.direction, min, t.threshold) ? 'always fires' : 'can never fire'}`,
        });
      }
    }
    // Tiers about different connectors (tierConnectors) never read the same series: no order between them.
    if (warning && critical && !def.tierConnectors) {
      if (isBad(def.direction, warning.threshold, critical.threshold)) {
        problems.push({
          path: `thresholds.${id}`,
          message: `expected warning (${warning.threshold}) to be less severe than critical (${critical.threshold}): this signal is bad ${DIRECTIONS[def.direction].badWhen}, so warning ${DIRECTIONS[def.direction].warningToCritical} critical`,
        });
      }
    }
  }
  return problems;
}
