/**
 * Modifier uses the specification rules out (sigma-appendix-modifiers.md): each must stop at
 * lowering with its code at the modifier's or the value's line and column (golden files), never
 * reach a target as a wrong query.
 */
import type { TableRow } from './harness.js';
import { sel } from './rows.js';

/** The rows of this table. */
export const ROWS: TableRow[] = [
  { name: 'unknown modifier', detection: sel("CommandLine|contain: 'x'"), lowerFails: true },
  { name: 'comparison of a word', detection: sel("CommandLine|gt: 'abc'"), lowerFails: true },
  { name: 'cidr without a prefix length', category: 'network_connection', detection: sel("DestinationIp|cidr: '10.0.0.1'"), lowerFails: true },
  { name: 're and cidr together', detection: sel("CommandLine|re|cidr: 'x'"), lowerFails: true },
  { name: 'exists with a string', detection: sel("User|exists: 'yes'"), lowerFails: true },
  { name: 'regex flag without re', detection: sel("CommandLine|contains|i: 'x'"), lowerFails: true },
  { name: 'two positional modifiers', detection: sel("CommandLine|contains|startswith: 'x'"), lowerFails: true },
  { name: 'null under contains', detection: sel('CommandLine|contains: null'), lowerFails: true },
  // neq is a generic modifier (modifiers appendix), but "not in this network" is refused today.
  { name: 'cidr with neq', category: 'network_connection', detection: sel("DestinationIp|cidr|neq: '10.0.0.0/8'"), lowerFails: true },
  {
    name: 'contains with neq',
    detection: sel("CommandLine|contains|neq: 'temp'"),
    yes: [{ CommandLine: 'a b' }],
    no: [{ CommandLine: 'C:\\TEMP\\x' }],
  },
  {
    // Modifiers apply left to right (pySigma does the same): windash then sees 'LXg=', which has no dash.
    name: 'windash after base64 applies to the encoded text',
    detection: sel("CommandLine|base64|windash: '-x'"),
    yes: [{ CommandLine: Buffer.from('-x').toString('base64') }],
    no: [{ CommandLine: Buffer.from('/x').toString('base64') }],
  },
  {
    name: 're with all',
    detection: sel('CommandLine|re|all:', "    - 'ab+c'", "    - '^x'"),
    yes: [{ CommandLine: 'x abbc' }],
    no: [{ CommandLine: 'x ac' }, { CommandLine: 'abc' }],
  },
  {
    name: 'cased windash',
    detection: sel("CommandLine|windash|contains|cased: ' -Command '"),
    yes: [{ CommandLine: 'pwsh -Command x' }, { CommandLine: 'pwsh /Command x' }],
    no: [{ CommandLine: 'pwsh -command x' }, { CommandLine: 'pwsh /COMMAND x' }],
  },
];
