// The import layers of src/ (README "The model"): `npm run lint` and .ci/run fail on a violation.
// Builders turn the model into files and never import one another; what two of them share
// (names, paths, units, PromQL helpers) lives in a leaf module they both import. Validators read
// the bundle as built (bundle/read.ts) and never reach into a builder. Type-only imports count.
const BUILDERS = '(alerts|dashboards|scrape|connect|kubernetes|report|runbook)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part into a module both import.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'builder-imports-builder',
      severity: 'error',
      comment: 'A builder imports another builder: move what they share to conventions/, model/, promql/, text/ or bundle/.',
      from: { path: `^src/${BUILDERS}/` },
      to: { path: `^src/${BUILDERS}/`, pathNot: '^src/$1/' },
    },
    {
      name: 'validator-imports-builder',
      severity: 'error',
      comment: 'A validator imports a builder: read the bundle through bundle/read.ts and names from conventions/ or bundle/paths.ts.',
      from: { path: '^src/validate/' },
      to: { path: `^src/${BUILDERS}/` },
    },
    {
      name: 'shared-imports-builder',
      severity: 'error',
      comment: 'The model and the shared modules sit below the builders: they never import one.',
      from: { path: '^src/(model|conventions|promql|text|metrics|emulation)/|^src/bundle/(files|paths|read)[.]ts$' },
      to: { path: `^src/${BUILDERS}/|^src/(validate|io|cli)` },
    },
    {
      name: 'generation-imports-emulation',
      severity: 'error',
      comment: 'Generation never runs the exporter emulator: it is for validation (validate/) and the tests.',
      from: { path: `^src/${BUILDERS}/|^src/(model|conventions|promql|text|metrics)/` },
      to: { path: '^src/emulation/' },
    },
    {
      name: 'conventions-is-a-leaf',
      severity: 'error',
      comment: 'conventions/ is what everything else imports: it imports nothing of the project.',
      from: { path: '^src/conventions/' },
      to: { path: '^src/', pathNot: '^src/conventions/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
