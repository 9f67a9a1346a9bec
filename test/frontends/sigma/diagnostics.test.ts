/** Diagnostics of the Sigma frontend, asserted by code, line and column. */
import { describe, it, expect } from 'vitest';
import { lowerText, ruleText } from './helpers.js';

/** code@line:column of every diagnostic of the rule's text (the detection body starts on line 9). */
function diags(detection: string[]): string[] {
  const [r] = lowerText(ruleText(detection));
  expect(r!.rule).toBeUndefined();
  return r!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
}

describe('sigma frontend diagnostics', () => {
  it('RB303 unknown modifier, at the modifier inside the key', () => {
    // line 10: `        CommandLine|contains|bogus: x` → `bogus` starts at column 30
    expect(diags(['    selection:', "        CommandLine|contains|bogus: 'x'", '    condition: selection'])).toEqual(['RB303@10:30']);
  });
  it('RB303 in a quoted key skips the quote', () => {
    expect(diags(['    selection:', "        'Image|nope': 'x'", '    condition: selection'])).toEqual(['RB303@10:16']);
  });
  it('RB302 unknown identifier, at its column in the condition', () => {
    // line 11: `    condition: selection and filter` → `filter` at column 30
    expect(diags(['    selection:', "        Image: 'x'", '    condition: selection and filter'])).toEqual(['RB302@11:30']);
  });
  it('RB301 bad condition syntax, at the offending token', () => {
    expect(diags(['    selection:', "        Image: 'x'", '    condition: selection and (selection'])).toEqual(['RB301@11:40']);
    expect(diags(['    selection:', "        Image: 'x'", '    condition: selection or or selection'])).toEqual(['RB301@11:29']);
  });
  it('RB301 in a quoted condition counts the quote', () => {
    expect(diags(['    selection:', "        Image: 'x'", "    condition: 'selection )'"])).toEqual(['RB301@11:27']);
  });
  it('RB350 for the deprecated aggregation pipe', () => {
    expect(diags(['    selection:', "        Image: 'x'", '    condition: selection | count() > 5'])).toEqual(['RB350@11:26']);
  });
  it('RB306 pattern that matches nothing', () => {
    expect(diags(['    selection:', "        Image: 'x'", '    condition: selection and not 1 of filter*'])).toEqual(['RB306@11:34']);
  });
  it('RB304 modifiers that cannot be combined', () => {
    expect(diags(['    selection:', "        CommandLine|re|contains: 'x'", '    condition: selection'])).toEqual(['RB304@10:24']);
    expect(diags(['    selection:', "        CommandLine|contains|i: 'x'", '    condition: selection'])).toEqual(['RB304@10:30']);
  });
  it('RB304 utf16 without base64', () => {
    expect(diags(['    selection:', "        CommandLine|wide: 'x'", '    condition: selection'])).toEqual(['RB304@10:21']);
    // a positional modifier after the encoding: reported at `contains`
    expect(diags(['    selection:', "        CommandLine|wide|contains: 'x'", '    condition: selection'])).toEqual(['RB304@10:26']);
  });
  it('RB305 wrong value type, at the value', () => {
    expect(diags(['    selection:', "        CommandLine|exists: 'yes'", '    condition: selection'])).toEqual(['RB305@10:29']);
    expect(diags(['    selection:', '        DestinationPort|gt:', "            - 'many'", '    condition: selection'])).toEqual(['RB305@11:15']);
    expect(diags(['    selection:', '        Image|contains: true', '    condition: selection'])).toEqual(['RB305@10:25']);
  });
  it('RB352 expand with text around the placeholder and no placeholders file, at the value', () => {
    expect(diags(['    selection:', "        User|expand: 'x%Admins%'", '    condition: selection'])).toEqual(['RB352@10:22']);
  });
  it('RB352 expand with a modifier that needs the values, at that modifier', () => {
    expect(diags(['    selection:', "        User|expand|base64: '%Admins%'", '    condition: selection'])).toEqual(['RB352@10:21']);
  });
  it('every error of a rule is reported, not only the first', () => {
    expect(diags(['    sel1:', "        Image|foo: 'x'", '    sel2:', "        Image|bar: 'x'", '    condition: sel1 and sel3'])).toEqual(['RB303@10:15', 'RB303@12:15', 'RB302@13:25']);
  });
  it('RB110 schema violation at the offending value', () => {
    const text = ruleText(['    selection:', "        Image: 'x'", '    condition: selection']).replace('level: low', 'level: severe');
    const [r] = lowerText(text);
    expect(r!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB110@7:8']);
  });
  it('RB351 for a correlation naming a rule that is not loaded, at the reference', () => {
    const text = ['title: c', 'correlation:', '    type: event_count', '    rules:', '        - some_rule', '    group-by:', '        - User', '    timespan: 1h', '    condition:', '        gte: 10', ''].join('\n');
    const [r] = lowerText(text);
    expect(r!.rule).toBeUndefined();
    expect(r!.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['RB351@5:11']);
  });
});
