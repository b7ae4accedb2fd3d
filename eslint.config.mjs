// @ts-check
// One lint configuration for the service, its tests and benchmarks, and the console (web/). `npm run lint` runs it with
// `prettier --check` and both type checks. typescript-eslint's `recommended`, not `recommendedTypeChecked`: the
// type-aware rules cost a second whole-program type check (≈ 7× the time of this lint on 2 cores) and mostly flag the
// `any` of raw SQL rows; `tsc --noEmit` (`npm run lint:types`) already checks the types.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', 'coverage/', 'audio/', 'bench/.work/', 'test-artifacts/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `const { secret: _secret, ...rest } = row` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // A `let` read by a closure before its one assignment (a timer cleared on every path) would be a TDZ trap as `const`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Off: Loa matches control characters on purpose, to refuse or replace them in input, device answers and evidence.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Off in tests and benchmarks: they read JSON answers loosely and let the assertions check the shape.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
);
