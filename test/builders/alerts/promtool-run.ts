import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Bundle } from '../../../src/bundle/bundle.js';
import { RULE_FILES } from '../../../src/documents/paths.js';
import type { Model } from '../../../src/model/model.js';
import { type Scenario, STEP_S, type Topology, testGroup } from './promtool-tests.js';

/** Runs a real tool; a missing tool fails the test (CI installs promtool and amtool). */
export function runTool(tool: string, args: string[], cwd: string) {
  const r = spawnSync(tool, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`${tool} is needed (Debian packages prometheus, prometheus-alertmanager): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/**
 * The bundle's rule files in a temporary directory, and `promtool test rules` on scenarios
 * against them. Rule groups run in file order (signals, their alerts, the SLO reading both):
 * Prometheus runs groups on independent timers, so a reader may see a recorded value one
 * evaluation interval late in production; promtool otherwise orders groups by name.
 */
export function promtoolRunner(model: Model, bundle: Bundle, topo: Topology) {
  const dir = mkdtempSync(join(tmpdir(), 'mm2-alerts-test-'));
  const ruleFileNames = RULE_FILES.map((f) => f.replace(/^alerts\//, ''));
  for (const f of RULE_FILES) writeFileSync(join(dir, f.replace(/^alerts\//, '')), bundle.get(f)!);
  const groupOrder = RULE_FILES.flatMap((f) => (parse(bundle.get(f)!) as { groups: { name: string }[] }).groups.map((g) => g.name));
  return {
    dir,
    ruleFileNames,
    groupOrder,
    run: (tool: string, args: string[]) => runTool(tool, args, dir),
    test(name: string, scenarios: readonly Scenario[], extra: object[] = []) {
      const file = `${name.replace(/[^A-Za-z0-9]+/g, '-')}.test.yaml`;
      const tests = [...scenarios.map((s) => testGroup(model, topo, s)), ...extra];
      writeFileSync(
        join(dir, file),
        stringify({ rule_files: ruleFileNames, evaluation_interval: `${STEP_S}s`, group_eval_order: groupOrder, tests }, { lineWidth: 0 }),
      );
      return runTool('promtool', ['test', 'rules', file], dir);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
