// ESLint with typescript-eslint's type-aware rules; Prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.data/',
      '.tmp/',
      'coverage/',
      'migrations/',
      '**/*.mjs',
      'eslint.config.js',
      'jest.config.js',
      'eslint/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Decorated GraphQL resolver classes return promises from non-async methods by design.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The layers of src/ (README, "Architecture"): a lower layer importing a higher one fails CI.
    files: ['src/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/import-direction': 'error' },
  },
  {
    // Tests read loosely typed JSON responses; `any` there is the point of the assertion.
    files: ['tests/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
