import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/bundle.js';
import { loadModel } from '../../src/model/load.js';
import { promtoolRunner } from './promtool-run.js';
import { healthyTopology } from './promtool-tests.js';
import { situations } from './situations.js';

const model = loadModel();
const topo = healthyTopology(model);
const promtool = promtoolRunner(model, buildBundle(model), topo);
afterAll(() => promtool.cleanup());

describe('promtool test rules on the situations of issue 10', () => {
  for (const s of situations(model, topo)) {
    it(s.name, () => {
      const r = promtool.test(s.name, [s]);
      expect(r.output).toContain('SUCCESS');
      expect(r.status, r.output).toBe(0);
    });
  }
});
