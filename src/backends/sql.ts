/** Placeholder until the sql renderer lands: reports every rule as unsupported. */
import { diag } from '../diagnostics/index.js';
import { column } from './capabilities.js';
import type { Backend } from './types.js';

export const sqlBackend: Backend = {
  name: 'sql',
  ext: 'sql',
  capabilities: column('unsupported', {}),
  render: (rule) => ({ ok: false, diagnostics: [diag('RB411', 'target sql is not available yet', { file: rule.file })] }),
};
