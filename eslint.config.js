// ESLint 9 flat config. Type-aware at error where a mistake loses work
// silently (DESIGN.md §2: "in an alerting system a dropped promise is a lost
// page"); no stylistic rules — formatting is not lint's job here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';
import opsline from './eslint-rules/index.js';

const TS = ['**/*.ts', '**/*.mts', '**/*.cts'];
const VUE = ['packages/web/**/*.vue'];
const JS = ['**/*.js', '**/*.mjs', '**/*.cjs'];

export default defineConfig(
  {
    name: 'opsline/ignores',
    ignores: ['**/dist/**', '**/node_modules/**', '**/data/**', '**/.test-artifacts/**', '**/.bench-data/**', '**/coverage/**'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // Plain JS (scripts, bench, this config, local rules): recommended, no type info.
  {
    name: 'opsline/js',
    files: JS,
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
  },
  {
    // Zabbix runs a media type's script as a function body, in Duktape (ES5), with these globals.
    name: 'opsline/zabbix-media-types',
    files: ['docs/integrations/*.js'],
    languageOptions: {
      ecmaVersion: 5,
      sourceType: 'script',
      parserOptions: { ecmaFeatures: { globalReturn: true } },
      globals: { value: 'readonly', HttpRequest: 'readonly', CurlHttpRequest: 'readonly', Zabbix: 'readonly' },
    },
  },

  // TypeScript and Vue: recommended + type-checked recommended via the project service
  // (each file is checked with the nearest tsconfig.json).
  {
    name: 'opsline/ts',
    files: [...TS, ...VUE],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Strict form: a `default:` does not excuse a missing member of a union
      // (a new event type or status must be handled where it is switched on).
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // `_`-prefixed names are deliberately unused (ignored args, rest-omits).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Template literals with numbers/booleans are fine in logs and messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // tsc already reports undefined names, with types; core no-undef misfires on TS.
      'no-undef': 'off',
    },
  },

  // Vue single-file components in the console.
  ...vue.configs['flat/recommended'].map((c) => ({ ...c, files: VUE })),
  {
    name: 'opsline/vue',
    files: VUE,
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
      },
      globals: globals.browser,
    },
    rules: {
      // Layout/formatting rules of the recommended set are noise, not defects.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/first-attribute-linebreak': 'off',
      'vue/attributes-order': 'off',
      // Page components live as views/<domain>/<page>/index.vue: the folder names them.
      'vue/multi-word-component-names': 'off',
    },
  },
  { name: 'opsline/web-browser', files: ['packages/web/src/**/*.ts'], languageOptions: { globals: globals.browser } },

  // Package and module boundaries (DESIGN.md §2).
  {
    name: 'opsline/boundaries',
    plugins: { opsline },
  },
  {
    name: 'opsline/server-modules',
    files: ['packages/server/src/**/*.ts'],
    rules: { 'opsline/module-boundaries': ['error', { root: 'packages/server/src', tablesAggregator: 'platform/db/schema.ts' }] },
  },
  {
    name: 'opsline/contracts-isomorphic',
    files: ['packages/contracts/src/**/*.ts'],
    rules: { 'opsline/package-imports': ['error', { allowPackages: ['zod'], within: 'packages/contracts/src' }] },
  },
  {
    // Its tests run under vitest only; they are not part of what ships to browsers.
    name: 'opsline/contracts-tests',
    files: ['packages/contracts/src/**/*.test.ts'],
    rules: { 'opsline/package-imports': ['error', { allowPackages: ['zod', 'vitest'], within: 'packages/contracts/src' }] },
  },
  {
    // DESIGN §2: agent → contracts + the generated proto types, never the server or the console.
    name: 'opsline/agent-direction',
    files: ['packages/agent/src/**/*.ts'],
    rules: {
      'opsline/package-imports': [
        'error',
        { denyPackages: ['@opsline/server', '@opsline/web', '@opsline/test-utils'], within: 'packages/agent/src', denyPaths: ['packages/server', 'packages/web'] },
      ],
    },
  },
  {
    name: 'opsline/web-not-server',
    files: ['packages/web/**/*.ts', ...VUE],
    rules: {
      'opsline/package-imports': ['error', { denyPackages: ['@opsline/server', '@opsline/test-utils'], denyPaths: ['packages/server'] }],
    },
  },

  // Tests read responses as `res.json().items[0].id` (light-my-request's json()
  // is `any`) and name methods in expect(obj.method): the no-unsafe family and
  // unbound-method would make every assertion noise. Promise rules stay on.
  {
    name: 'opsline/tests',
    files: ['**/*.test.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
