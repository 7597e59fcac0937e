import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load.js';
import { SIGNAL_TOPICS } from '../../src/model/signal-topics/index.js';
import { SIGNAL_DEFS, SIGNAL_IDS, SIGNAL_PANELS, type SignalDef } from '../../src/model/signals.js';
import { escapeRegex } from '../../src/promql/matcher.js';

const model = loadModel();
const exprOf = (def: SignalDef) => (def.scope === 'flow' ? def.expr(model.flows[0]!, model.queryContext) : def.expr(model.queryContext));
const reads = (expr: string, record: string) => new RegExp(`(^|[^\\w:])${escapeRegex(record)}($|[^\\w:])`).test(expr);

describe('a signal topic', () => {
  it('advises only on runbook topics its own signals name, so the advice sits beside the signals it is for', () => {
    for (const topic of SIGNAL_TOPICS) {
      const named = new Set(Object.values(topic.signals).map((s) => s.def.runbook));
      expect(Object.keys(topic.advice).filter((k) => !named.has(k))).toEqual([]);
    }
  });

  it("is listed so that a signal reading another signal's recorded series comes after it: the rules of a group run in order", () => {
    // The check sees a read: the lag's growth is the slope of the recorded lag.
    expect(reads(exprOf(SIGNAL_DEFS.replicationLagGrowth), SIGNAL_DEFS.replicationLag.record)).toBe(true);
    SIGNAL_IDS.forEach((id, i) => {
      const expr = exprOf(SIGNAL_DEFS[id]);
      const readLater = SIGNAL_IDS.slice(i + 1).filter((later) => reads(expr, SIGNAL_DEFS[later].record));
      expect(readLater, `${id} reads the recorded series of signals declared after it`).toEqual([]);
    });
  });

  it('places no two signal panels at the same number of a dashboard row', () => {
    const places = SIGNAL_PANELS.map((p) => `${p.panel.row} ${p.panel.number}`);
    expect(places.filter((p, i) => places.indexOf(p) !== i)).toEqual([]);
  });
});
