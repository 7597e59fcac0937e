import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findPint, PINT_VERSION } from '../src/validate/pint.js';
import { JARS_DIR } from './real-stack/java-process.js';

/**
 * The first step of `npm test` (and `npm run test:offline` with --offline): the tests run real
 * promtool, amtool, Prometheus, Alertmanager and pint, and the real-stack suite Java and the
 * Maven jars; they fail, never skip, without them. On a machine that lacks some, this stops
 * at once with the one command that installs them all, instead of failing test by test.
 */
const offlineOnly = process.argv.includes('--offline');
const answers = (tool: string, args: string[]) => spawnSync(tool, args, { stdio: 'ignore' }).status === 0;

const missing = [
  ...['promtool', 'amtool', 'prometheus', 'prometheus-alertmanager'].filter((t) => !answers(t, ['--version'])),
  ...(findPint() ? [] : [`pint ${PINT_VERSION}`]),
  ...(offlineOnly
    ? []
    : [
        ...(answers('java', ['-version']) ? [] : ['java (JDK 17)']),
        ...['kafka-3.7.2', 'kafka-4.3.1', 'agent'].filter((d) => !existsSync(join(JARS_DIR, d, '.complete'))).map((d) => `the real-stack jars (${d})`),
      ]),
];
if (missing.length > 0) {
  process.stderr.write(
    `The tests need ${missing.join(', ')}, which this machine lacks. Install them with:\n\n  bash .ci/setup\n\n(as root: it installs Debian packages)\n`,
  );
  process.exit(1);
}
