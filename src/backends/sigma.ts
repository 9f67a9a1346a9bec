/** Placeholder until the sigma renderer lands: reports every rule as unsupported. */
import { diag } from '../diagnostics/index.js';
import { column } from './capabilities.js';
import type { Backend } from './types.js';

export const sigmaBackend: Backend = {
  name: 'sigma',
  ext: 'sigma',
  capabilities: column('unsupported', {}),
  render: (rule) => ({ ok: false, diagnostics: [diag('RB411', 'target sigma is not available yet', { file: rule.file })] }),
};
