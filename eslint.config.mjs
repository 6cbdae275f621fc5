// Lint: TypeScript rules, plus the dependency rules of docs/design.md: core/ is platform-neutral,
// so it may import only files inside core/ and the few pure libraries listed here; and each
// platform's adapters and functions import no other platform's code or SDK.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const CORE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'core');
// zstddec: the WebAssembly Zstandard decoder geotiff itself loads; core calls it with a block-sized buffer.
const CORE_ALLOWED_PACKAGES = ['geotiff', 'proj4', 'zod', 'zstddec'];

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

const ROOT_DIR = dirname(fileURLToPath(import.meta.url));

/** The SDKs and runtime libraries of each cloud: no other platform's code may import them. */
const PLATFORM_PACKAGES = {
  aws: ['@aws-sdk/', '@aws-lambda-powertools/', '@middy/', 'aws-lambda'],
  gcp: ['@google-cloud/', 'google-auth-library'],
  azure: ['@azure/'],
};
const PLATFORMS = Object.keys(PLATFORM_PACKAGES);

/**
 * The platform a file belongs to: `adapters/<platform>/…`, `functions/<platform>/…` and
 * `functions/*.<platform>.ts`; `local` for adapters/local (the CLI); `neutral` for the shared
 * adapters (shared, fs, memory, web), which every platform's functions use.
 */
function zoneOf(file) {
  const path = relative(ROOT_DIR, file).split(sep).join('/');
  const match = /^adapters\/([^/]+)\//.exec(path) ?? /^functions\/(aws|gcp|azure)\//.exec(path) ?? /^functions\/[^/]+\.(aws|gcp|azure)\.[jt]s$/.exec(path);
  if (!match) return undefined;
  return PLATFORMS.includes(match[1]) || match[1] === 'local' ? match[1] : 'neutral';
}

/** Why `specifier` (statically imported unless `dynamic`) breaks the platform rule for `file`; undefined when it is fine. */
function platformImportProblem(file, specifier, dynamic) {
  const zone = zoneOf(file);
  if (!zone) return undefined;
  // The CLI (adapters/local) may load a cloud's stores on demand, when KELPIE_STORE names it.
  if (zone === 'local' && dynamic) return undefined;
  let target;
  if (specifier.startsWith('.')) target = zoneOf(resolve(dirname(file), specifier));
  else target = PLATFORMS.find((platform) => PLATFORM_PACKAGES[platform].some((prefix) => specifier === prefix || specifier.startsWith(prefix)));
  if (!target || target === 'neutral' || target === zone) return undefined;
  if (zone === 'neutral') return `shared adapters serve every platform: no ${target} code or SDK here ("${specifier}"); put it in adapters/${target}/`;
  return `${zone} code must not import ${target === 'local' ? 'the CLI' : target} code or its SDK ("${specifier}"): each function carries only its own platform`;
}

const boundaries = {
  rules: {
    'platform-imports': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const check = (node, dynamic) => {
          const specifier = node.source?.value;
          if (typeof specifier !== 'string') return;
          const problem = platformImportProblem(context.filename, specifier, dynamic);
          if (problem) context.report({ node: node.source, message: problem });
        };
        return {
          ImportDeclaration: (node) => check(node, false),
          ExportNamedDeclaration: (node) => check(node, false),
          ExportAllDeclaration: (node) => check(node, false),
          ImportExpression: (node) => check(node, true),
        };
      },
    },
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
    // CommonJS build helpers (serverless-esbuild require()s its plugins file).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/core-imports': 'error' },
  },
  {
    files: ['adapters/**/*.ts', 'functions/**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/platform-imports': 'error' },
  },
);
