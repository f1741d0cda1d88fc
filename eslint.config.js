// ESLint for the whole project: typescript-eslint's strict, type-aware rules for the TypeScript (gateway, shared,
// config, tools, tests, the mini-program) and the recommended rules for the console's plain browser JavaScript.
// Formatting is Prettier's business (eslint-config-prettier turns the overlapping rules off).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.test-build/',
      'data/',
      'test-results/',
      'miniprogram/**/*.js',
      'miniprogram/miniprogram_npm/',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // With noUncheckedIndexedAccess every `rows[0]` is `T | undefined`; `rows[0]!` right after the query or
      // assertion that guarantees it is this codebase's idiom (tests above all), and a guard there would be dead code.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `[...text]` splits by code point on purpose: SMS segments and WeChat field limits count code points.
      '@typescript-eslint/no-misused-spread': 'off',
      // `async` marks functions that implement a Promise-returning contract (channel hooks, job handlers, test bodies)
      // even when this implementation has nothing to await; missed awaits are no-floating-promises' business.
      '@typescript-eslint/require-await': 'off',
      // The text sanitizers and validators match control characters on purpose.
      'no-control-regex': 'off',
      // Numbers in log lines, SQL fragments and messages read as they should.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allow: [{ from: 'package', name: 'URLSearchParams', package: 'url' }] },
      ],
      // `(x) => void work(x)` and `() => resolve()` shorthands are clear as they are.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `const { detail: _detail, ...rest } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // Chinese text separates fields with the ideographic space (U+3000) on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
      // A type parameter used once names the expected shape at the call site (`api<Letter>(...)`, `schedule<Data>(...)`).
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      // A channel's tables join Kysely's `Database` by declaration merging: `interface Database extends XTables {}`.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests declare `let gw: Gateway` filled in a before hook and still write `gw?.stop()` in after.always (for when
      // the hook failed), and read `t.throws(...)?.x` (undefined when the assertion failed): the types say otherwise.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    files: ['gateway/admin/ui/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
    rules: {
      // Chinese text separates fields with the ideographic space (U+3000) on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
