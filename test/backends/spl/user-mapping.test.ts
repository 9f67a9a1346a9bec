/**
 * A user's mapping file (`--mapping`, RenderOptions.mapping) merged over the bundled SPL and EQL
 * mappings: its entries replace the bundled ones of the same key, the rest stay; a file that
 * cannot be read is RB413.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { pred } from '../../../src/ir/build.js';
import { parseEql } from '../../helpers/eql-parse.js';
import { parseSpl } from '../../helpers/spl-parse.js';
import { ruleOf } from '../eql/helpers.js';

const fx = (n: string) => resolve(__dirname, '../../fixtures/mappings', n);
const signed = pred('winlog.event_data.Signed', 'eq', ['false']);

describe('user mapping files', () => {
  it('spl: a user source and sourcetype replace the bundled ones; the rest stay', () => {
    const out = render(ruleOf(signed), 'spl', { mapping: fx('spl-user.json') });
    expect(out.query).toBe('sourcetype="WinEventLog" source="WinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 Signed="false"');
    const net = render(ruleOf(pred('destination.port', 'eq', [1]), [], { product: 'windows', category: 'network_connection' }), 'spl', { mapping: fx('spl-user.json') });
    expect(net.query).toBe('| from datamodel:"Network_Traffic.All_Traffic"\n| search All_Traffic.dest_port=1');
    const acme = render(ruleOf(pred('action', 'eq', ['login']), [], { product: 'acme', service: 'audit' }), 'spl', { mapping: fx('spl-user.json') });
    expect(acme.query).toBe('sourcetype="acme:audit" action="login"');
    expect(acme.diagnostics).toEqual([]);
    parseSpl(acme.query!);
  });
  it('eql: a user dataset for an in-house product, exact', () => {
    const out = render(ruleOf(pred('action', 'eq', ['login']), [], { product: 'acme', service: 'audit' }), 'eql', { mapping: fx('eql-user.json') });
    expect(out.query).toBe('any where event.dataset == "acme.audit" and action : "login"');
    expect(out.diagnostics).toEqual([]);
    parseEql(out.query!);
    expect(render(ruleOf(signed), 'eql', { mapping: fx('eql-user.json') }).query).toBe(render(ruleOf(signed), 'eql').query);
  });
  for (const target of ['spl', 'eql']) {
    it(`${target}: an unreadable, broken or non-.json mapping file is RB413`, () => {
      for (const m of [fx('missing.json'), fx('broken.json'), 'ecs']) {
        const out = render(ruleOf(signed), target, { mapping: m });
        expect(out.ok).toBe(false);
        expect(out.diagnostics.map((d) => [d.code, d.file])).toEqual([['RB413', 'rules/t.yml']]);
      }
    });
  }
});
