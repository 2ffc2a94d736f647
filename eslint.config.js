// ESLint for the whole tree: typescript-eslint's recommended rules for TypeScript, eslint-plugin-vue's
// for the renderer's components. The layering rule is dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'models/**'] },
  // Warnings are not kept: CI fails on any finding.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  // The pthread worker is loaded by Node's require in the wasm backend's threads.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // File names lose their control characters on purpose.
  { files: ['src/main/services/export/file-name.ts', 'src/main/services/library/import-image.ts'], rules: { 'no-control-regex': 'off' } },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Layout is the author's (long attribute lines read as one element); lint is for mistakes.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
    },
  },
);
