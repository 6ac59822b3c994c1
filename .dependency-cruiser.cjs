// Architecture rules. Run: npx depcruise apps libs --config .dependency-cruiser.cjs
// (exits non-zero when any `error` rule is violated; `warn` rules are reported only).
//
// Paths are matched against the *resolved* file (aliases like @ihl/domain resolve to libs/domain/src/index.ts).
// npm packages resolve to node_modules/<pkg>/...; an unresolvable package keeps its bare name, so the
// package patterns below accept both forms.

/** Matches a dependency on one of the given npm packages (or whole @scopes), resolved or not. */
const npm = (...pkgs) => `(^|node_modules/)(${pkgs.join('|')})(/|$)`;

/** Matches a node builtin, with or without the `node:` prefix (fs also matches fs/promises). */
const builtin = (...mods) => `^(node:)?(${mods.join('|')})(/|$)`;

const TEST_FILE = '\\.(spec|int-spec|e2e-spec)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-no-frameworks-or-io',
      severity: 'error',
      comment:
        'libs/domain is pure: no framework, persistence, queue, validation or HTTP packages. ' +
        'Adapters live in libs/event-store, libs/projections and apps.',
      from: { path: '^libs/domain/' },
      to: {
        path: npm(
          '@nestjs',
          'better-sqlite3',
          '@eventstore',
          'bullmq',
          'ioredis',
          'class-validator',
          'class-transformer',
          'express',
        ),
      },
    },
    {
      name: 'domain-no-node-io-builtins',
      severity: 'error',
      comment:
        'libs/domain must not touch the file system, network, processes or randomness/crypto: ' +
        'time and ids are inputs. Domain test files (*.spec.ts etc.) are exempt so they can read fixtures ' +
        '(e.g. data/projects/*.json); drop the pathNot below to make this apply to tests too.',
      from: { path: '^libs/domain/', pathNot: TEST_FILE },
      to: {
        dependencyTypes: ['core'],
        path: builtin(
          'fs',
          'crypto',
          'child_process',
          'net',
          'http',
          'https',
          'http2',
          'tls',
          'dgram',
          'dns',
          'os',
          'worker_threads',
          'cluster',
        ),
      },
    },
    {
      name: 'domain-not-to-other-libs',
      severity: 'error',
      comment: 'libs/domain is the innermost layer: it must not import other libs or apps.',
      from: { path: '^libs/domain/' },
      // Any lib other than itself (application, event-store, projections, config, auth, ... and future ones) or an app.
      // libs/testing is handled by the next rule.
      to: { path: '^(apps|libs)/', pathNot: '^libs/(domain|testing)/' },
    },
    {
      name: 'domain-not-to-testing',
      severity: 'error',
      comment: 'Only domain test files may use @ihl/testing.',
      from: { path: '^libs/domain/', pathNot: TEST_FILE },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'application-not-to-adapters',
      severity: 'error',
      comment:
        'libs/application depends on the event-store port, not on adapters: no direct import of ' +
        'libs/event-store/src/{sqlite,esdb} nor of the better-sqlite3 / @eventstore/db-client packages. ' +
        '(Importing @ihl/event-store is allowed; its index re-exports the adapters, which is only a transitive dependency.)',
      from: { path: '^libs/application/' },
      to: {
        path: ['^libs/event-store/src/(sqlite|esdb)/', npm('better-sqlite3', '@eventstore/db-client')],
      },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      comment: 'Libraries must not depend on applications.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-not-to-other-apps',
      severity: 'error',
      comment:
        'An app is an entry point only: what two apps need lives in a library (the HTTP API that both ' +
        'apps/api and `ledger serve` start is libs/http-api). Tests may still import apps.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'simulation-from-cli-only',
      severity: 'error',
      comment:
        'libs/simulation writes a whole simulated ledger: only the CLI (`ledger simulate`) and tests use it; ' +
        'the api, the worker and the other libraries never do.',
      from: { path: '^(apps|libs)/', pathNot: ['^apps/cli/', '^libs/simulation/', TEST_FILE] },
      to: { path: '^libs/simulation/' },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Production code (apps, libs; test files excepted) must not import from test/.',
      from: { path: '^(apps|libs)/', pathNot: TEST_FILE },
      to: { path: '^test/' },
    },
    {
      name: 'queue-packages-in-jobs-only',
      severity: 'error',
      comment:
        'BullMQ and ioredis are used through libs/jobs (the typed job registry, producer, worker); ' +
        "the administrators' board (libs/http-api/src/jobs) is the one other place that sees a queue.",
      from: { path: '^(apps|libs)/', pathNot: ['^libs/jobs/', '^libs/http-api/src/jobs/', TEST_FILE] },
      to: { path: npm('bullmq', 'ioredis', '@bull-board') },
    },
    {
      name: 'jobs-not-to-http',
      severity: 'error',
      comment: 'libs/jobs runs in the worker without HTTP: it must not import libs/http-api.',
      from: { path: '^libs/jobs/' },
      to: { path: ['^libs/http-api/', npm('express', '@nestjs/platform-express')] },
    },
    {
      name: 'web-not-to-node-code',
      severity: 'error',
      comment:
        'apps/web runs in the browser and talks to the API over HTTP only (no private back doors): it ' +
        'imports no lib (they hold Node, Nest and database code) and no Node builtin.',
      from: { path: '^apps/web/' },
      to: { path: ['^libs/', builtin('fs', 'path', 'crypto', 'child_process', 'net', 'http', 'https', 'os')] },
    },
    {
      name: 'web-only-browser-packages',
      severity: 'error',
      comment: 'The pages bundle preact and echarts only; a Node package there would not run in a browser.',
      from: { path: '^apps/web/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['npm', 'npm-dev'], pathNot: npm('preact', 'echarts', 'zrender', 'tslib') },
    },
    {
      name: 'imports-not-to-http',
      comment:
        'libs/imports (the file-import engine) runs in the worker and in `ledger import` without HTTP: ' +
        "the API's DTO validation is handed to it (ImportRowValidator), never imported; nor is a queue.",
      severity: 'error',
      from: { path: '^libs/imports/' },
      to: { path: ['^libs/http-api/', '^libs/jobs/', npm('express', '@nestjs/platform-express', 'bullmq', 'ioredis')] },
    },
    {
      name: 'no-circular',
      severity: 'warn',
      comment: 'Circular dependency between modules.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|data|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
