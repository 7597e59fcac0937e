#!/usr/bin/env node
// Piped into `head`, stdout closes early: that is the reader's choice, not an error to report.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// Imported dynamically so that even a failure to load the CLI ends in one line and exit 3.
import('./cli.js').then(
  ({ run }) => {
    process.exitCode = run(process.argv.slice(2));
  },
  (e: unknown) => {
    process.stderr.write(
      process.env['MM2_MONITORING_DEBUG'] === '1'
        ? `${e instanceof Error ? e.stack : String(e)}\n`
        : `mm2-monitoring: internal error: cannot load the CLI: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} (set MM2_MONITORING_DEBUG=1 for the stack trace)\n`,
    );
    process.exitCode = 3;
  },
);
