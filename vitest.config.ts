import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // promtool and the end-to-end Prometheus are real processes: give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Most offline files wait on promtool, Prometheus or Alertmanager rather than compute: three
    // at a time on 2 cores (the default is one) halve the offline run. The real-stack project runs
    // one file at a time whatever this says.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: { name: 'offline', include: ['test/**/*.test.ts'], exclude: ['test/real-stack/**'] },
      },
      {
        // Real Kafka, Connect, JMX exporter agent, Prometheus and Alertmanager: one file at a
        // time, so that two stacks never share the 2 cores and detection times stay true.
        extends: true,
        test: { name: 'real-stack', include: ['test/real-stack/**/*.test.ts'], fileParallelism: false, maxConcurrency: 8 },
      },
    ],
  },
});
