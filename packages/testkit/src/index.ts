export { runConformance } from './run.js';
export { GROUPS, DEFAULT_TOLERANCES, type ConformanceOptions, type Group, type Tolerances } from './options.js';
export { relativeError, expectClose, type Expected } from './compare.js';
export { readGoldenFile, type GoldenCase, type GoldenTensor } from './golden-data.js';
