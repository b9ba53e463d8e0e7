// Lint rules from ARCHITECTURE.md, as errors, plus the module boundaries:
//  - outside a module, import it only through its index.ts;
//  - pure cores import no node:*, no esl, no store;
//  - api never imports esl or knex; shared knows no domain.
import tseslint from 'typescript-eslint'

const modules = ['shared', 'esl', 'calls', 'ivr', 'acd', 'api', 'store', 'sim', 'app', 'cli', 'recording', 'fax', 'screenpop', 'crm', 'reports', 'trunks', 'doctor', 'media', 'workorders', 'users', 'sms', 'phones', 'cdr', 'supervision', 'console']
const throughIndex = {
  regex: `^(\\.\\./)+(${modules.join('|')})/(?!index\\.ts$).+`,
  message: 'Import another module through its index.ts.',
}
const noNode = { regex: '^node:', message: 'A pure core imports no node:* module: take time and I/O as inputs.' }
const noAdapters = { regex: '(^|/)(esl|store|sim|api|app)/', message: 'A pure core imports no adapter.' }

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.tap/**', 'freeswitch-conf/**', 'sounds/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'No enum: use a union of string literals.' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [throughIndex] }] },
  },
  {
    files: ['src/acd/core/**/*.ts', 'src/ivr/core/**/*.ts', 'src/calls/core/**/*.ts', 'src/*/core/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [throughIndex, noNode, noAdapters] }] },
  },
  {
    files: ['src/api/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [throughIndex, { regex: '(^|/)esl/|^knex$', message: 'api never imports esl or knex.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: 'shared knows no domain.' }] }] },
  },
  {
    // Tests may poke at internals and use the looser assertion helpers of tap.
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // tap tracks its own subtests; t.test() promises need no await.
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
)
