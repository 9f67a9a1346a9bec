/** The registry of targets: one line per backend. */
import type { Backend, Target } from './types.js';
import { sigmaBackend } from './sigma.js';
import { kqlBackend } from './kql.js';
import { eqlBackend } from './eql.js';
import { sqlBackend } from './sql.js';
import { splBackend } from './spl.js';

/** Every target, by name. */
export const BACKENDS: Record<Target, Backend> = {
  sigma: sigmaBackend,
  kql: kqlBackend,
  eql: eqlBackend,
  sql: sqlBackend,
  spl: splBackend,
};

/** The target names, in the order outputs are shown. */
export const TARGETS = Object.keys(BACKENDS) as Target[];
