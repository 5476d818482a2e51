import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins,
// no I/O libraries, no direct activity imports (type-only imports are fine).
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', 'data/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['workflows/**/*.ts', 'test/fixtures/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
            ...['mongodb', 'express', 'twilio', 'pino', '@temporalio/client', '@temporalio/worker'].map((name) => ({
              name,
              message: 'Workflow code must not do I/O: call an activity instead.',
            })),
          ],
          patterns: [
            {
              group: ['**/activities/**', '!**/activities/**/*.types*'],
              allowTypeImports: true,
              message: 'Import activities type-only and call them through proxyActivities.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'process', message: 'Workflow code must not read the process environment.' },
      ],
    },
  },
  {
    // The API and the domain services never reach into activities: what both need lives in services/ or db/.
    files: ['api/**/*.ts', 'services/**/*.ts', 'runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/activities/**'], message: 'Shared code belongs in services/ (or db/repositories): activities are for workers.' }] },
      ],
    },
  },
);
