import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSplunkDetection } from '../../../src/frontends/splunk/index.js';
import { loadRuleText } from '../../../src/frontends/load.js';
import { FIXTURES, MACROS } from './load.js';

describe('Splunk frontend entry points', () => {
  it('recognizes detections by name, id and search', () => {
    expect(isSplunkDetection({ name: 'x', id: 'y', search: 'z' })).toBe(true);
    expect(isSplunkDetection({ title: 'x', logsource: {}, detection: {} })).toBe(false);
    expect(isSplunkDetection({ name: 'x', id: 'y' })).toBe(false);
    expect(isSplunkDetection(null)).toBe(false);
    expect(isSplunkDetection(['name', 'id', 'search'])).toBe(false);
  });

  it('loads through the format-neutral loader with the splunk format and the rule IR', () => {
    const file = join(FIXTURES, 'windows_msiexec_dllregisterserver.yml');
    const [r, ...rest] = loadRuleText(file, readFileSync(file, 'utf8'), { macros: MACROS });
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ format: 'splunk', doc: 0, id: 'fdb59aef-d88f-4909-8369-ec2afbd2c398', title: 'Windows MSIExec DLLRegisterServer' });
    expect(r!.rule?.format).toBe('splunk');
    expect(r!.rule?.file).toBe(file);
  });

  it('without macros, a rule that calls an unknown macro is RB204, not a partial rule', () => {
    const file = join(FIXTURES, 'windows_msiexec_dllregisterserver.yml');
    const [r] = loadRuleText(file, readFileSync(file, 'utf8'));
    expect(r!.rule).toBeUndefined();
    expect(r!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB204@16:13']);
  });
});
