/**
 * A Windows channel that the Splunk source names outside any Sigma service (extra.channel)
 * selects that channel's events only, whatever their event id.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { compileLogSource } from '../../src/evaluator/logsource.js';

const RCM = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational';

describe('log source channel from extra.channel', () => {
  it('selects the named channel (lower case), any event id', () => {
    const diags: Diagnostic[] = [];
    const sel = compileLogSource({ product: 'windows', extra: { channel: RCM } }, 'r.yml', diags);
    expect(diags).toEqual([]);
    expect(sel?.all).toBe(false);
    expect([...sel!.channels.entries()]).toEqual([[RCM.toLowerCase(), undefined]]);
  });
  it('a service wins over extra.channel', () => {
    const sel = compileLogSource({ product: 'windows', service: 'security', extra: { channel: RCM } }, 'r.yml', []);
    expect([...sel!.channels.keys()]).toEqual(['security']);
  });
  it('a category with no events on that channel is RB504 at the source', () => {
    const diags: Diagnostic[] = [];
    const origin = { file: 'r.yml', line: 3, column: 9 };
    const sel = compileLogSource({ product: 'windows', category: 'process_creation', extra: { channel: RCM }, origin }, 'r.yml', diags);
    expect(sel).toBeUndefined();
    expect(diags.map((d) => [d.code, d.line, d.column])).toEqual([['RB504', 3, 9]]);
  });
  it('without extra.channel a product-only source takes every event', () => {
    expect(compileLogSource({ product: 'windows' }, 'r.yml', [])?.all).toBe(true);
  });
});
