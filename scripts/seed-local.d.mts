/** Types for seed-local.mjs (a plain script, imported by tests). */
export declare const SAMPLE_KEY: string;
export declare function seedLocal(dataDir?: string): Promise<{ file: string; written: boolean }>;
