// Dependency direction: the pipeline stages never reach outward (into the API, CLI or web app) and
// never name a concrete store backend; backends never import each other. Only the composition root
// and the store factory know the backends.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'stages-not-outward',
      comment: 'Stages (model, importers, normalize, enrich, aggregate, store, query, diagnose, reports, ingest, demo, export) must not import api, cli or web.',
      severity: 'error',
      from: { path: '^src/(model|importers|normalize|enrich|aggregate|store|query|diagnose|reports|ingest|demo|export)/' },
      to: { path: '^src/(api|cli)/|^web/' },
    },
    {
      name: 'no-concrete-backend',
      comment: 'Only the store factory and a backend itself may import a concrete backend.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/(create-store\\.ts|duckdb/|clickhouse/)' },
      to: { path: '^src/store/(duckdb|clickhouse)/' },
    },
    {
      name: 'backends-apart',
      comment: 'DuckDB and ClickHouse backends do not import each other.',
      severity: 'error',
      from: { path: '^src/store/duckdb/' },
      to: { path: '^src/store/clickhouse/' },
    },
    {
      name: 'backends-apart-2',
      severity: 'error',
      from: { path: '^src/store/clickhouse/' },
      to: { path: '^src/store/duckdb/' },
    },
    {
      name: 'model-is-the-core',
      comment: 'The model depends on nothing else in the project.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/(?!model/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
