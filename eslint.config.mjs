// Lint: typescript-eslint's recommended rules plus the few house rules that catch money and async bugs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.felt/**', 'coverage/**', 'bench/results/**', 'test-artifacts/**', 'server/src/admin/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use node:crypto (or a passed-in RNG); Math.random is not a CSPRNG.' },
      ],
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'Money is parsed with shared/money.ts, never as a float.' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'client-sim/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Test helpers read untyped JSON bodies and frames; `any` there is the honest type.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The players' browser client: plain scripts (no modules, no bundler) with the browser's globals.
    files: ['server/src/web/public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'sessionStorage', 'fetch', 'FormData', 'crypto', 'TextEncoder', 'Node', 'HTMLInputElement',
          'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'globalThis', 'module'].map((name) => [name, 'readonly']),
      ),
    },
    rules: { eqeqeq: ['error', 'always'] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
