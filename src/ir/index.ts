export * from './nodes.js';
export * from './build.js';
export * from './glob.js';
export * from './visit.js';
export * from './functions.js';
export * from './fields.js';
export { normalizeQuery, normalizeExpr, normalizeStages } from './passes/normalize.js';
export { summaryTailStart } from './passes/summary.js';
export { iplocationFields } from './row-stages.js';
