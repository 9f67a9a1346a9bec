import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { lowerSearchText } from '../../../src/frontends/splunk/index.js';
import type { Diagnostic } from '../../../src/diagnostics/index.js';
import { MACROS } from './load.js';

const PIECES = ['|', ' ', '(', ')', '[', ']', '"', '\\', '`', '```', ',', '=', '!=', '<', '>=', '*', '?', 'AND', 'OR', 'NOT', 'or', 'IN',
  'tstats', 'stats', 'where', 'eval', 'search', 'rename', 'table', 'fields', 'convert', 'dedup', 'sort', 'head', 'fillnull', 'rex', 'bin',
  'regex', 'from', 'datamodel=Endpoint.Processes', 'by', 'as', 'count', 'dc(x)', 'values(', 'ctime(', 'span=1h', '_time', 'x', 'Image',
  '`sysmon`', '`process_msiexec`', '`security_content_ctime(firstTime)`', '`nope`', '`drop_dm_object_name(Processes)`', 'Processes.process',
  'like(', 'match(', '"%a_"', '5', '-1', '.', '+', 'EventCode=1', 'max_match=0', 'field=x',
  'join', 'type=outer', 'max=0', 'lookup', 'OUTPUT', 'OUTPUTNEW', 'tools', 'eventstats', 'mvexpand', 'limit=2', 'spath', 'path=a.b',
  'foreach', '<<FIELD>>', 'iplocation', 'pow(', 'a-b'];

describe('the SPL frontend never throws on malformed searches', () => {
  it('returns diagnostics (with positions) or a query for any token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.constantFrom(' ', ''), (parts, sep) => {
        const ds: Diagnostic[] = [];
        const q = lowerSearchText(parts.join(sep), (o) => ({ line: 1, column: o + 1 }), MACROS, { product: 'windows' }, ds);
        if (!q) expect(ds.some((d) => d.severity === 'error')).toBe(true);
        for (const d of ds) expect(d.line).toBe(1);
      }),
      { numRuns: 2000 },
    );
  });
});
