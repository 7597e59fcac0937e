import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { ALERT_FILES } from '../../../src/documents/paths.js';
import { loadModel } from '../../../src/model/load.js';
import { promtoolRunner } from './promtool-run.js';
import { healthyTopology } from './promtool-tests.js';
import { outageSituations, pageGroupWaitSeconds, type Situation, situations } from './situations.js';

const model = loadModel();
const topo = healthyTopology(model);
const bundle = buildBundle(model);
const promtool = promtoolRunner(model, bundle, topo);
afterAll(() => promtool.cleanup());

function play(s: Situation) {
  for (const b of s.bounds ?? []) {
    if (b.atMost !== undefined) expect(b.value, b.what).toBeLessThanOrEqual(b.atMost);
    if (b.atLeast !== undefined) expect(b.value, b.what).toBeGreaterThanOrEqual(b.atLeast);
  }
  const r = promtool.test(s.name, [s]);
  expect(r.output).toContain('SUCCESS');
  expect(r.status, r.output).toBe(0);
}

describe('promtool test rules on an unscraped worker, fewer tasks than tasks.max, deepening and short outages, recovery', () => {
  for (const s of situations(model, topo)) it(s.name, () => play(s));
});

describe('promtool test rules on outages that come and go, hide, or touch part of a flow, and on ordinary operations', () => {
  const groupWait = pageGroupWaitSeconds(model, bundle.get(ALERT_FILES.alertmanager)!);
  for (const s of outageSituations(model, topo, groupWait)) it(s.name, () => play(s), 300_000);
});
