import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**', '.tmp/**'] },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The engine is pure and deterministic: no clock, no randomness, no timers, no I/O.
    files: ['packages/engine/src/**/*.ts', 'packages/domain/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'The engine is pure: time arrives inside the command.' },
        { name: 'setTimeout', message: 'The engine is pure: no timers.' },
        { name: 'setInterval', message: 'The engine is pure: no timers.' },
        { name: 'process', message: 'The engine is pure: no process access.' },
        { name: 'performance', message: 'The engine is pure: no clock.' }],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'The engine is pure: no randomness.' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'crypto', 'net', 'http'], message: 'The engine is pure: no I/O.' }] }],
    },
  },
);
