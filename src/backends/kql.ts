/** Placeholder until the kql renderer lands: reports every rule as unsupported. */
import { diag } from '../diagnostics/index.js';
import { column } from './capabilities.js';
import type { Backend } from './types.js';

export const kqlBackend: Backend = {
  name: 'kql',
  ext: 'kql',
  capabilities: column('unsupported', {}),
  render: (rule) => ({ ok: false, diagnostics: [diag('RB411', 'target kql is not available yet', { file: rule.file })] }),
};
