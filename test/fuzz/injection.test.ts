/**
 * Injection: rule values, field names and metadata crafted to break out of each target's
 * quoting stay data. Each hostile value goes through a Sigma rule (`CommandLine: V`, and
 * `|contains`) to every target, and the output is checked by meaning, not by looks: the EQL and
 * SPL test grammars evaluate the parsed query on an event holding V (match) and V + 'Z' (no
 * match); SQLite and DuckDB run the SQL over those events; Kusto.Language must read V back as a
 * literal with no error; the Sigma output must lower to the same IR; the evaluator must match
 * exactly the event holding V. Also: nothing in src executes text (no eval, Function, vm), and
 * prototype keys in rules and events are plain names.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadRuleText } from '../../src/frontends/load.js';
import { render } from '../../src/backends/index.js';
import { compileRules, evaluateFiles, toCanonical } from '../../src/evaluator/index.js';
import { buildCatalog } from '../../src/catalog/site.js';
import { indexPage, rulePage } from '../../src/catalog/pages.js';
import type { RuleIR } from '../../src/ir/nodes.js';
import { REPO } from '../helpers/paths.js';
import { evalEql, parseEql, type EqlNode } from '../helpers/eql-parse.js';
import { parseSpl, passes, type SNode, type WNode } from '../helpers/spl-parse.js';
import { KUSTO_SKIP, kustoErrors, kustoStringLiterals } from '../helpers/kusto.js';
import { duckdbEngine, sqliteEngine } from '../backends/sql/engines.js';

/** Values that end a string, a comment or a statement in some target, or that look like markup. */
const VALUES = [
  `'; DROP TABLE events; --`,
  `" or 1==1 or "`,
  `\\" | take 0 //`,
  `a'b"c\`d`,
  `back\\slash\\`,
  `\\\\server\\share`,
  `*?literal*`,
  `100%_done`,
  `[a-z]+(x)|y$`,
  `line1\nline2`,
  `tab\there`,
  `{{title}} {{{x}}} }}{{`,
  `$dest$ \`macro\``,
  `</script><x-evil>`,
  `\u2028sep\u00e9\u{1F600}`,
  `@'verbatim'`,
  `h"hidden"`,
  `/* c */ -- c # c`,
];

/** Sigma writes `*`, `?` and `\` escaped when they are literal (Sigma specification, wildcards). */
const sigmaEscape = (v: string) => v.replace(/[\\*?]/g, (c) => '\\' + c);

function sigmaRule(value: string, modifier: '' | '|contains', title = 'injection'): string {
  return stringify({
    title,
    id: '7f6b1c2d-0000-4000-8000-000000000001',
    status: 'test',
    description: title,
    logsource: { product: 'windows', category: 'process_creation' },
    detection: { sel: { [`CommandLine${modifier}`]: sigmaEscape(value) }, condition: 'sel' },
    level: 'low',
  });
}

function lower(text: string): RuleIR {
  const [r] = loadRuleText('inj.yml', text);
  expect(r!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r!.rule!;
}

const CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const raw = (cmd: string) => ({ EventID: 1, Channel: CHANNEL, Computer: 'h', Image: 'C:\\x.exe', CommandLine: cmd });
/** The value a contains test matches and the event values that must and must not match. */
const cases = (v: string, mod: string) => (mod ? { yes: `pre${v}post`, no: v.slice(0, -1) + 'Z' } : { yes: v, no: v + 'Z' });

/** An event for a test grammar: every compared field takes its first literal, the command line `cmd`. */
function eqlEvent(n: EqlNode, cmd: string, ev: Record<string, unknown> = {}): Record<string, unknown> {
  if (n.kind === 'and' || n.kind === 'or') n.args.forEach((a) => eqlEvent(a, cmd, ev));
  else if (n.kind === 'not') eqlEvent(n.arg, cmd, ev);
  else if (n.kind === 'cmp' || n.kind === 'call') ev[n.field] = /command_line/.test(n.field) ? cmd : (ev[n.field] ?? n.values[0]);
  return ev;
}
function splEvent(n: SNode | undefined, cmd: string, ev: Record<string, unknown>): void {
  if (!n) return;
  if (n.kind === 'and' || n.kind === 'or') n.args.forEach((a) => splEvent(a, cmd, ev));
  else if (n.kind === 'not') splEvent(n.arg, cmd, ev);
  else if (n.kind === 'cmp') ev[n.field] = /commandline|command_line|^Processes\.process$/i.test(n.field) ? cmd : (ev[n.field] ?? (typeof n.value === 'string' ? n.value.replace(/\*/g, '') : n.value));
  else if (n.kind === 'in') ev[n.field] ??= n.values[0];
}

function splWhereEvent(n: WNode | undefined, cmd: string, ev: Record<string, unknown>): void {
  if (!n) return;
  if (n.kind === 'bin') [n.l, n.r].forEach((x) => splWhereEvent(x, cmd, ev));
  else if (n.kind === 'not' || n.kind === 'neg') splWhereEvent(n.arg, cmd, ev);
  else if (n.kind === 'call') n.args.forEach((x) => splWhereEvent(x, cmd, ev));
  else if (n.kind === 'field' && /commandline|command_line|^Processes\.process$/i.test(n.name)) ev[n.name] = cmd;
}

const tmp = mkdtempSync(join(tmpdir(), 'rb-inj-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(['', '|contains'] as const)('hostile values stay data (CommandLine%s)', (mod) => {
  it.each(VALUES.map((v) => [JSON.stringify(v), v]))('%s', async (_name, v) => {
    const rule = lower(sigmaRule(v, mod));
    const { yes, no } = cases(v, mod);
    const problems: string[] = [];
    const q = (target: string, dialect?: string) => {
      const r = render(rule, target, dialect ? { dialect } : {});
      if (!r.ok) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      return r.ok ? r.query! : undefined;
    };

    const eql = q('eql');
    if (eql) {
      const ast = parseEql(eql).where;
      if (!evalEql(ast, eqlEvent(ast, yes)) || evalEql(ast, eqlEvent(ast, no))) problems.push(`eql: ${eql}`);
    }
    const spl = q('spl');
    if (spl) {
      const cmds = parseSpl(spl);
      const ev = (cmd: string) => {
        const e: Record<string, unknown> = {};
        for (const c of cmds) {
          splEvent(c.search, cmd, e);
          splWhereEvent(c.where, cmd, e);
        }
        return e;
      };
      if (!passes(cmds, ev(yes)) || passes(cmds, ev(no))) problems.push(`spl: ${spl}`);
    }
    for (const dialect of ['sqlite', 'duckdb'] as const) {
      const sql = q('sql', dialect);
      if (!sql) continue;
      const events = [raw(yes), raw(no)].map((e) => toCanonical(e));
      const eng = dialect === 'sqlite' ? sqliteEngine(events) : await duckdbEngine(events);
      const rows = await eng.all(sql);
      if (rows.length !== 1) problems.push(`sql/${dialect}: ${rows.length} rows for ${sql}`);
    }
    for (const dialect of ['defender', 'sentinel']) {
      const kql = q('kql', dialect);
      if (!kql || KUSTO_SKIP) continue;
      const errs = kustoErrors(kql);
      const lits = kustoStringLiterals(kql);
      if (errs.length || !lits.some((l) => l === v || l.toLowerCase() === v.toLowerCase() || l.includes(v))) problems.push(`kql/${dialect}: ${JSON.stringify(errs.map((e) => e.message))} ${kql}`);
    }
    const sigma = q('sigma');
    if (sigma) {
      const back = lower(sigma);
      if (JSON.stringify(stripOrigins(back.query.filter)) !== JSON.stringify(stripOrigins(rule.query.filter))) problems.push(`sigma: ${sigma}`);
    }
    const file = join(tmp, 'ev.jsonl');
    writeFileSync(file, [raw(yes), raw(no)].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const lines: number[] = [];
    await evaluateFiles(compileRules([rule]).compiled, [file], (m) => lines.push(m.line));
    if (JSON.stringify(lines) !== '[1]') problems.push(`evaluator matched lines ${JSON.stringify(lines)}`);
    expect(problems).toEqual([]);
  }, 30_000);
});

function stripOrigins(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' ? undefined : x)));
}

describe('hostile titles and descriptions stay in comments and strings', () => {
  const TITLES = ['x\nDeviceEvents | take 1 //', 'x\r\n| where true\n--', "x */ SELECT 1; /* '", 'x\n```\n{{title}}', 'x\n---\ndetection: {}', '</script><x-evil>'];
  it.each(TITLES.map((t) => [JSON.stringify(t), t]))('%s', (_n, title) => {
    const hostile = lower(sigmaRule('calc.exe', '', title));
    const benign = lower(sigmaRule('calc.exe', '', 'benign'));
    for (const [target, dialect] of [['kql', 'defender'], ['kql', 'sentinel'], ['eql'], ['spl'], ['sql', 'sqlite'], ['sql', 'duckdb'], ['sql', 'postgres'], ['sql', 'spark'], ['sigma']] as const) {
      const a = render(hostile, target, dialect ? { dialect } : {});
      const b = render(benign, target, dialect ? { dialect } : {});
      expect(a.ok, `${target} ${dialect ?? ''}`).toBe(b.ok);
      if (!a.ok) continue;
      // Outside comments and metadata the queries are the same: the title added no statement.
      const body = (q: string) => q.split('\n').filter((l) => !/^\s*(\/\/|--|#|\/\*|\*)/.test(l) && !/benign|x-evil|take 1|where true|SELECT 1|\{\{title\}\}/.test(l)).join('\n');
      if (target === 'sigma') {
        expect(lower(a.query!).meta.title).toBe(title);
        continue;
      }
      expect(body(a.query!), `${target} ${dialect ?? ''}`).toBe(body(b.query!));
      if (target === 'kql' && !KUSTO_SKIP) expect(kustoErrors(a.query!)).toEqual([]);
      if (target === 'eql') expect(() => parseEql(a.query!)).not.toThrow();
      if (target === 'spl') expect(parseSpl(a.query!).length).toBe(parseSpl(b.query!).length);
    }
  });
  it('the catalog pages show hostile rule text as text', () => {
    const text = sigmaRule('<x-evil>', '', '<x-evil title>');
    const rules = loadRuleText('inj.yml', text);
    const cat = buildCatalog(rules.map((r) => ({ ...r, text })), { convert: true, generated: 'T' });
    expect(indexPage(cat)).not.toContain('<x-evil');
    const page = rulePage(cat.rules[0]!);
    expect(page).not.toContain('<x-evil');
    expect(page).toContain('&lt;x-evil title&gt;');
  });
});

/** Lines of TypeScript source that execute text: eval, the Function constructor, vm, string timers, computed imports. */
function executesText(source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((text, i) => {
    // Code only: string literals and comments may name eval (SPL has an eval command).
    const line = /^\s*(\*|\/\*)/.test(text) ? '' : text.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g, "''").replace(/\/\/.*$/, '');
    if (/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|set(Timeout|Interval)\s*\(\s*['"`]|\bimport\s*\(\s*[^'"`\s)]/.test(line)) found.push(`${i + 1}: ${text.trim()}`);
    if (/(from|require\(|import\()\s*['"](node:)?vm['"]/.test(text)) found.push(`${i + 1}: ${text.trim()}`);
  });
  return found;
}

describe('templates lay out escaped text only', () => {
  const TEMPLATES = join(REPO, 'templates');
  const mustaches = (text: string) => [...text.matchAll(/\{\{(\{?)([^}]*)\}\}/g)].map((m) => ({ triple: m[1] === '{', body: m[2]!.trim() })).filter((m) => !/^[#/!^>]|^else\b/.test(m.body));
  it('no template uses a triple-stash', () => {
    for (const dir of [TEMPLATES, join(TEMPLATES, 'wrappers')]) {
      for (const n of readdirSync(dir).filter((x) => x.endsWith('.hbs'))) expect(mustaches(readFileSync(join(dir, n), 'utf8')).filter((m) => m.triple), n).toEqual([]);
    }
  });
  it('target templates print the IR metadata only through a helper (other values are escaped in code)', () => {
    for (const n of readdirSync(TEMPLATES).filter((x) => x.endsWith('.hbs') && !x.startsWith('catalog-'))) {
      const bare = mustaches(readFileSync(join(TEMPLATES, n), 'utf8')).filter((m) => /^(meta|rule)\b/.test(m.body));
      expect(bare, n).toEqual([]);
    }
  });
  it('wrapper templates print every value through an escaping helper', () => {
    const dir = join(TEMPLATES, 'wrappers');
    for (const n of readdirSync(dir).filter((x) => x.endsWith('.hbs'))) {
      const raw = mustaches(readFileSync(join(dir, n), 'utf8')).filter((m) => !/^(yaml|json|conf|confStanza)\s/.test(m.body));
      expect(raw, n).toEqual([]);
    }
  });
  it('diagnostics that quote rule text are escaped in the catalog', () => {
    const text = 'title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    "Image|<x-evil>": a\n  condition: sel and "<x-evil2>"\n';
    const rules = loadRuleText('inj.yml', text);
    expect(rules[0]!.diagnostics.some((d) => d.message.includes('<x-evil'))).toBe(true);
    const cat = buildCatalog(rules.map((r) => ({ ...r, text })), { convert: true, generated: 'T' });
    for (const html of [indexPage(cat), ...cat.rules.map(rulePage)]) expect(html).not.toMatch(/<x-evil/);
  });
});

describe('rule text is never executed', () => {
  it('the scan finds each way of executing text', () => {
    const bad = ["eval(rule.title)", "const f = new Function('x', body);", "import { runInNewContext } from 'node:vm';", "setTimeout('alert(1)', 0);", "await import(userPath);", "Function('return this')()"];
    for (const b of bad) expect(executesText(b), b).toHaveLength(1);
    expect(executesText("// eval(x) in a comment\nconst s = 'count(eval(x))';\nawait import('./a.js');")).toEqual([]);
  });
  it('src has no eval, Function constructor, vm module, string timers or computed imports', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (n.endsWith('.ts')) found.push(...executesText(readFileSync(p, 'utf8')).map((l) => `${p}:${l}`));
      }
    };
    walk(join(REPO, 'src'));
    expect(found).toEqual([]);
  });
});

describe('prototype keys are plain names', () => {
  const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
  it.each(KEYS)('a rule on field %s matches an event field of that name, and nothing else', async (key) => {
    const text = `title: proto\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    ${JSON.stringify(key)}: hit\n  condition: sel\n`;
    const rule = lower(text);
    const file = join(tmp, 'proto.jsonl');
    const base = { EventID: 1, Channel: CHANNEL, Image: 'C:\\x.exe' };
    writeFileSync(
      file,
      [
        `{"EventID":1,"Channel":"${CHANNEL}","Image":"x","${key}":"hit"}`,
        JSON.stringify(base),
        `{"EventID":1,"Channel":"${CHANNEL}","${key}":{"polluted":"hit","${key}":"hit"}}`,
        `{"EventID":1,"Channel":"${CHANNEL}","__proto__":{"${key}":"hit","CommandLine":"hit"}}`,
      ].join('\n') + '\n',
    );
    const lines: number[] = [];
    const res = await evaluateFiles(compileRules([rule]).compiled, [file], (m) => lines.push(m.line));
    expect(res.summary.events).toBe(4);
    expect(lines).toEqual([1]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'CommandLine')).toBe(false);
    for (const t of ['kql', 'eql', 'spl', 'sql', 'sigma']) {
      const r = render(rule, t);
      expect(r.ok || r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      if (r.ok) expect(r.query).not.toMatch(/undefined|\[object Object\]|function |native code/);
    }
  });
  it('a rule whose detection and logsource use prototype keys loads or fails with diagnostics', () => {
    for (const key of KEYS) {
      const text = `title: t\nlogsource:\n  product: ${key}\n  category: ${key}\n  service: ${key}\ndetection:\n  ${key}:\n    ${key}|contains: x\n  condition: ${key === 'constructor' ? '1 of them' : key}\n`;
      const rules = loadRuleText('p.yml', text);
      for (const r of rules) expect(!!r.rule || r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
