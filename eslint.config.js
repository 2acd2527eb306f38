/**
 * ESLint for the whole repository (npm run lint): type-checked typescript-eslint on every .ts file, plain rules on
 * the few .js/.mjs files, and eslint-config-prettier last so that formatting is Prettier's job alone.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  // Generated code and build output: fixing findings there would be undone by the next generation or build.
  globalIgnores(['**/node_modules/**', '**/dist/**', '**/generated/**', '**/*.generated.ts', 'coverage/**', '.data/**']),

  {
    name: 'pyairtable/typescript',
    files: ['**/*.ts'],
    // strictTypeChecked is recommendedTypeChecked plus the rules that catch what strict TypeScript still lets
    // through (conditions that are always true or false, non-null assertions, numbers and nullables silently
    // stringified, deprecated APIs, useless type parameters); stylisticTypeChecked adds the idioms the type
    // checker can confirm (??, ?., one way to write array and record types). A codebase that already compiles
    // with strict, noUncheckedIndexedAccess and verbatimModuleSyntax can afford both, and recommendedTypeChecked
    // alone would leave most of what a reviewer here asks for to the reviewer. typescript-eslint is pinned to an
    // exact version because the strict configs may gain rules in a minor release.
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the nearest tsconfig.json: packages/*, subgraphs/*, router, tests and scripts
        // each have one, and the workspace packages resolve to each other's sources through the "development"
        // export condition (tsconfig.base.json), so linting needs no prior build.
        // codegen.ts sits at the root, outside every tsconfig.json (tsc checks it through scripts/codegen/check.ts,
        // which imports it), so it gets a default project with the repository's compiler options.
        projectService: { allowDefaultProject: ['codegen.ts'], defaultProject: 'tsconfig.base.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // The codebase reads keys of index signatures with brackets (process.env['PORT'], extensions['code'],
      // response.locals['origin']) and declared properties with dots, so the brackets say "this key may be absent";
      // the rule still reports brackets on a declared property.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
      // T[] for simple element types, Array<...> when the element type is itself generic or a union, as written
      // throughout the codebase.
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
      // A number always prints as itself; null, undefined, booleans, objects and any stay forbidden, since those
      // are what put "undefined" or "[object Object]" into a message.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      // Callbacks written as `() => resolve(value)` or `(line) => logger.info(line)` return void to a caller that
      // ignores the result; a void value used anywhere else is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // A switch over a union (an error code, a role, an event type) must name every member, so adding a member
      // makes lint point at every switch that must now handle it.
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // The same convention as tsc's noUnusedParameters: a leading underscore marks a parameter kept for its
      // position (express handlers, promise executors).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  {
    // typescript-eslint 8.74.0's no-unsafe-class-instance-assignment recurses without end (RangeError: Maximum call
    // stack size exceeded, aborting the whole run) when a graphql-js type union such as GraphQLOutputType is passed
    // where another (GraphQLType) is expected: it follows GraphQLList<GraphQLType> into itself. Off only for the
    // files where it crashes; remove this block once an upgrade lints them.
    name: 'pyairtable/typescript-eslint-crash',
    files: ['packages/schema-tools/src/contract.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },

  {
    // jest.config.js, scripts/prisma-generate.mjs and this file: plain Node ESM, outside every tsconfig, so they
    // get the untyped rules only.
    name: 'pyairtable/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'module',
      globals: globals.node,
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
  },

  // Last: turns off every rule that would disagree with Prettier's output.
  prettier,
]);
