export * from './yaml-source.js';
export * from './schemas.js';
export { scalarOffsetMap } from './scalar-offsets.js';
export { collectFiles } from './files.js';
