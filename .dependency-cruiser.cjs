// The import layers of src/ (README "The model"), bottom up: conventions/ (a leaf); model/, promql/,
// text/, metrics/; documents/ (the bundle's documents as values, their paths and their text);
// the builders, which turn the model into documents and never import one another; bundle/ (the
// assembler: assemble, then render); reader/ (a bundle on disk parsed back) and the validators
// (which read the assembly's values, never reader/), io/ and the CLI on top. `npm run lint` and .ci/run fail on a violation. Type-only imports count.
// Every folder of src/builders/ is a builder.
const BUILDERS = 'builders/([^/]+)';

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
      comment: 'A builder imports another builder: move what they share to conventions/, model/, promql/, text/ or documents/.',
      from: { path: `^src/${BUILDERS}/` },
      to: { path: `^src/${BUILDERS}/`, pathNot: '^src/builders/$1/' },
    },
    {
      name: 'validator-imports-builder',
      severity: 'error',
      comment: 'A validator imports a builder: read the bundle as built (its documents and queries) and names from conventions/ or documents/paths.ts.',
      from: { path: '^src/validate/' },
      to: { path: `^src/${BUILDERS}/` },
    },
    {
      name: 'shared-imports-builder',
      severity: 'error',
      comment: 'The model and the shared modules sit below the builders: they never import one, nor what sits above the builders.',
      from: { path: '^src/(model|conventions|promql|text|metrics|emulation|documents)/' },
      to: { path: `^src/${BUILDERS}/|^src/(bundle|reader|validate|io|cli)` },
    },
    {
      name: 'builder-imports-assembler',
      severity: 'error',
      comment: 'A builder imports the assembler, the reader or what sits above them: what builders share lives in documents/ or below.',
      from: { path: `^src/${BUILDERS}/` },
      to: { path: '^src/(bundle|reader|validate|io|cli)' },
    },
    {
      name: 'build-parses-generated-text',
      severity: 'error',
      comment: 'The assembler and the builders hand each other values: reader/ parses a bundle as text, for the validators and the tests, never while it is assembled.',
      from: { path: `^src/(bundle|documents|${BUILDERS})/` },
      to: { path: '^src/reader/' },
    },
    {
      name: 'validator-imports-reader',
      severity: 'error',
      comment: 'The validators read the values the assembly holds (documents/values.ts), so that build and check validate without parsing their own text; reader/ turns files on disk into the same values.',
      from: { path: '^src/validate/' },
      to: { path: '^src/reader/' },
    },
    {
      name: 'reader-imports-assembler',
      severity: 'error',
      comment: 'The reader parses files back into the same types the documents carry: it needs neither the assembler nor a builder.',
      from: { path: '^src/reader/' },
      to: { path: `^src/${BUILDERS}/|^src/(bundle|validate|io|cli)` },
    },
    {
      name: 'generation-imports-emulation',
      severity: 'error',
      comment: 'Generation never runs the exporter emulator: it is for validation (validate/) and the tests.',
      from: { path: `^src/${BUILDERS}/|^src/(model|conventions|promql|text|metrics|documents|bundle)/` },
      to: { path: '^src/emulation/' },
    },
    {
      name: 'promql-imports-model',
      severity: 'error',
      comment: 'The model builds its expressions with promql/: promql/ takes what it needs (durations, names) from conventions/ or metrics/.',
      from: { path: '^src/promql/' },
      to: { path: '^src/model/' },
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
