// ESLint flat config (ESLint 10, typescript-eslint 8).
// Not type-aware on purpose: keeps `npx eslint .` fast. `npm run typecheck` (tsc) covers types.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The `globals` package is not installed; these are the Node globals our plain JS/CJS/MJS config files use.
const nodeGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

const DOMAIN_PURITY =
  'The domain must be pure: time, ids and configuration are inputs (inject a clock/id generator/config).';

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', '**/coverage/', 'data/', 'bench/results/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'ihl/typescript',
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // NestJS idioms: `constructor(private readonly svc: Svc) {}`, module classes with only decorators,
      // DTO classes such as `class UpdateDto extends PartialType(CreateDto) {}`.
      'no-useless-constructor': 'off',
      '@typescript-eslint/no-useless-constructor': 'off',
      'no-empty-function': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/parameter-properties': 'off',
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },

  {
    name: 'ihl/plain-js',
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
    rules: {
      // jest.config.js and .dependency-cruiser.cjs are CommonJS.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },

  {
    name: 'ihl/domain-purity',
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: DOMAIN_PURITY },
        { object: 'Date', property: 'now', message: DOMAIN_PURITY },
        { object: 'Math', property: 'random', message: DOMAIN_PURITY },
        { object: 'performance', property: 'now', message: DOMAIN_PURITY },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'crypto', message: `Web Crypto (randomUUID, getRandomValues). ${DOMAIN_PURITY}` },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: `new Date() reads the wall clock. ${DOMAIN_PURITY} (new Date(x) with an argument is fine.)`,
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: `Date() reads the wall clock. ${DOMAIN_PURITY}`,
        },
      ],
    },
  },

  {
    // Small functions and files are what keeps a use case findable and changeable. Counted without
    // blank lines and comments (a comment saying why is never what makes code too long). A file or
    // function over the limit says why in an eslint-disable comment. Tests and test support (spec
    // files, test/, the adapter contract suite, libs/testing) and benchmarks are free of it.
    name: 'ihl/size',
    files: ['apps/**/*.ts', 'apps/**/*.tsx', 'libs/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/contract/**',
      'libs/testing/**',
      '**/testing/**',
    ],
    rules: {
      'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true, IIFEs: true }],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },

  // Must stay last: switches off stylistic rules that Prettier owns.
  prettier,
);
