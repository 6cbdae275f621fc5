/** Types for basemap-data.mjs (a plain build script, imported by tests). */
export declare function buildBasemapData(): Promise<string>;
