/** Placeholder until the spl renderer lands: reports every rule as unsupported. */
import { diag } from '../diagnostics/index.js';
import { column } from './capabilities.js';
import type { Backend } from './types.js';

export const splBackend: Backend = {
  name: 'spl',
  ext: 'spl',
  capabilities: column('unsupported', {}),
  render: (rule) => ({ ok: false, diagnostics: [diag('RB411', 'target spl is not available yet', { file: rule.file })] }),
};
