// Lint rules for the whole repository: typescript-eslint's recommended set, plus bans on focused or skipped tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'console/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON answers whose shape is the thing under test.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Focused tests hide the rest of the suite.' },
        { object: 'describe', property: 'only', message: 'Focused tests hide the rest of the suite.' },
        { object: 'test', property: 'only', message: 'Focused tests hide the rest of the suite.' },
        {
          object: 'it',
          property: 'skip',
          message: 'A skipped test needs a reason in its name: use it.skipIf.',
        },
        { object: 'describe', property: 'skip', message: 'A skipped test needs a reason in its name.' },
        { object: 'test', property: 'skip', message: 'A skipped test needs a reason in its name.' },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
              message: 'Runtime code never imports the CDK.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind!='type'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message:
            "Use `import * as z from 'zod'`: the `z` object keeps every locale of zod (250 KB) in each Lambda bundle.",
        },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The route table and the training-task table only name entry files; nothing else of functions/ may
              // be loaded by synth.
              regex: '^(\\.\\./)+functions/(?!(http/routes|training/training-tasks)\\.ts$)',
              message:
                'Infrastructure names handler entry files through the route and training-task tables; it never imports runtime code.',
            },
          ],
        },
      ],
    },
  },
);
