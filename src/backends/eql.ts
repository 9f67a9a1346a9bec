/** Placeholder until the eql renderer lands: reports every rule as unsupported. */
import { diag } from '../diagnostics/index.js';
import { column } from './capabilities.js';
import type { Backend } from './types.js';

export const eqlBackend: Backend = {
  name: 'eql',
  ext: 'eql',
  capabilities: column('unsupported', {}),
  render: (rule) => ({ ok: false, diagnostics: [diag('RB411', 'target eql is not available yet', { file: rule.file })] }),
};
