import { describe, expect, it } from 'vitest';
import { pred } from '../../src/ir/build.js';
import type { RuleIR } from '../../src/ir/nodes.js';
import { buildCatalog } from '../../src/catalog/site.js';
import { indexPage, rulePage, scriptJson } from '../../src/catalog/pages.js';

const EVIL = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

function hostile(): RuleIR {
  return {
    format: 'sigma',
    file: 'evil.yml',
    meta: { id: 'e1', title: `Evil ${EVIL}`, description: EVIL, author: '<b>x</b>', references: [], tags: ['attack.t1059.001', 'attack.execution'], falsepositives: [] },
    query: { source: { product: 'windows', category: 'process_creation' }, filter: pred('process.command_line', 'contains', [EVIL]), stages: [] },
  };
}

describe('pages escape rule text', () => {
  const text = `title: x\ndescription: "${EVIL.replace(/"/g, '\\"')}"\ndetection:\n  sel:\n    CommandLine|contains: "${EVIL.replace(/"/g, '\\"')}"\n  condition: sel\n`;
  const cat = buildCatalog([{ file: 'evil.yml', format: 'sigma', rule: hostile(), diagnostics: [], text }], { convert: false, generated: 'T' });
  it('escapes every rule string in a rule page', () => {
    const html = rulePage(cat.rules[0]!);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('id="indicators"');
  });
  it('embeds index data that cannot close its script element', () => {
    const html = indexPage(cat);
    const m = /<script type="application\/json" id="catalog-data">([\s\S]*?)<\/script>/.exec(html)!;
    expect(m).not.toBeNull();
    expect(m[1]).not.toMatch(/<\/?script|<!--|</i);
    const rows = JSON.parse(m[1]!);
    expect(rows[0].title).toBe(`Evil ${EVIL}`);
    expect(rows[0].techniques).toEqual(['T1059.001']);
  });
  it('scriptJson escapes <, > and & and still parses back', () => {
    const v = { a: '</script><!-- & \u2028' };
    expect(scriptJson(v)).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(scriptJson(v))).toEqual(v);
  });
});
