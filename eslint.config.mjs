// Lint: TypeScript rules, plus the dependency rule of DESIGN.md: core/ is platform-neutral,
// so it may import only files inside core/ and the few pure libraries listed here.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const CORE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'core');
const CORE_ALLOWED_PACKAGES = ['geotiff', 'proj4', 'zod'];

/** Why `specifier`, imported from `file` in core/, breaks the rule; undefined when it is fine. */
function coreImportProblem(file, specifier) {
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    const inside = !relative(CORE_DIR, target).startsWith('..') && (target + sep).startsWith(CORE_DIR + sep);
    return inside ? undefined : `core/ must not import from outside core/ ("${specifier}")`;
  }
  if (specifier.startsWith('node:')) return `core/ is platform-neutral: no Node built-ins ("${specifier}"); put it in adapters/`;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return CORE_ALLOWED_PACKAGES.includes(name)
    ? undefined
    : `core/ may import only core/ and ${CORE_ALLOWED_PACKAGES.join(', ')}; "${specifier}" belongs in adapters/ (no cloud SDK, middy or Node built-ins)`;
}

const boundaries = {
  rules: {
    'core-imports': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const check = (node) => {
          const specifier = node.source?.value;
          if (typeof specifier !== 'string') return;
          const problem = coreImportProblem(context.filename, specifier);
          if (problem) context.report({ node: node.source, message: problem });
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.serverless/**', '.esbuild/**', 'coverage/**', '.data/**', '.bench/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/core-imports': 'error' },
  },
);
