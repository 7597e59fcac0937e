import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/bundle.js';
import { loadModel } from '../../../src/model/load.js';
import { readBundleValues } from '../../../src/reader/read.js';
import { checkInput } from '../../../src/validate/check.js';
import { groupScope } from '../../../src/validate/checks/group-scope.js';
import { validateBundle } from '../../../src/validate/index.js';
import { lint, model } from './rules.js';

describe('every rule keeps to its Connect cluster in a shared Prometheus (mm2/group-scope)', () => {
  const scoped = `{cluster="${model.groupLabels.cluster}", job="${model.groupLabels.job}"}`;

  it('accepts the generated bundle, also with an extra group label (env), which every rule then keeps', () => {
    expect(groupScope.run(checkInput(readBundleValues(buildBundle(model), model), model))).toEqual([]);
    const withEnv = loadModel({ prometheus: { groupLabels: ['env', 'cluster', 'job'], targetLabels: { env: 'prod' } } });
    const bundle = buildBundle(withEnv);
    expect(groupScope.run(checkInput(readBundleValues(bundle, withEnv), withEnv))).toEqual([]);
    expect(validateBundle(readBundleValues(bundle, withEnv), withEnv)).toEqual([]);
    // A bundle built without env fails the check of a model that groups by env: every rule drops it.
    expect(groupScope.run(checkInput(readBundleValues(buildBundle(model), withEnv), withEnv)).length).toBeGreaterThan(0);
  });

  it('fails a recording rule that drops cluster or job, and a selector that reads every cluster', () => {
    const problems = lint(groupScope, [
      { record: 'mm2_flow:x:sum', expr: `sum(x${scoped})`, labels: { flow: 'a->b', job: model.groupLabels.job } },
      { alert: 'MM2X', expr: 'mm2_flow:x:sum > 1' },
    ]);
    expect(problems).toEqual([
      expect.stringContaining('record mm2_flow:x:sum: drops the group label cluster'),
      expect.stringContaining('alert MM2X: selector mm2_flow:x:sum is not scoped'),
    ]);
  });
});
