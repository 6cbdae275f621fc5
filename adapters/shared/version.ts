/** The code version reported in every result; esbuild defines it from package.json at build time. */
declare const __KELPIE_VERSION__: string | undefined;

export const CODE_VERSION: string = typeof __KELPIE_VERSION__ === 'string' ? __KELPIE_VERSION__ : (process.env.npm_package_version ?? 'dev');
