/**
 * The fuzz targets: each is an input generator and a run that drives one part of rulebridge
 * with it and checks the oracles. A run throws only when a property is broken.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadRuleText } from '../../src/frontends/load.js';
import { loadMacros, type MacroTable } from '../../src/frontends/splunk/index.js';
import { macroKey } from '../../src/frontends/splunk/macros.js';
import { compileRules, evaluateFiles } from '../../src/evaluator/index.js';
import { buildCatalog } from '../../src/catalog/site.js';
import { indexPage, rulePage } from '../../src/catalog/pages.js';
import type { RuleIR } from '../../src/ir/nodes.js';
import { REPO } from '../helpers/paths.js';
import { flatEvent, nastyString, sigmaDoc, splSearch, splunkDoc } from './arbitraries.js';
import { CORPUS_MACROS, corpusSigma, corpusSplunk, mutate, mutateSearch, mutation } from './corpus.js';
import { EVENT_FORMATS, encodeEvent } from './events.js';
import { Violation, checkDiagnostics, checkLoaded, checkRenders } from './oracles.js';

/** One fuzz target. */
export interface Target<T = any> {
  name: string;
  arb: fc.Arbitrary<T>;
  run(input: T): void | Promise<void>;
  /** A short text of the input for the watchdog and failure reports. */
  show(input: T): string;
}

const FILE = 'fuzz.yml';
let macros: MacroTable | undefined;
function macroTable(): MacroTable {
  macros ??= loadMacros([join(REPO, 'test', 'fixtures', 'splunk', 'macros'), CORPUS_MACROS]);
  return macros;
}

/** Loads a text as a rule file and checks the load properties; returns the lowered rules. */
function load(text: string): RuleIR[] {
  const rules = loadRuleText(FILE, text, { macros: macroTable() });
  checkLoaded(rules, FILE);
  return rules.flatMap((r) => (r.rule ? [r.rule] : []));
}

function loadAndRender(text: string, validate: boolean): void {
  for (const rule of load(text)) {
    checkRenders(rule, validate);
    const c = compileRules([rule]);
    checkDiagnostics(c.diagnostics, 'compile');
  }
}

const yamlText = (v: unknown) => stringify(v, { lineWidth: 0 });
const cut = (s: string) => (s.length > 4000 ? s.slice(0, 4000) + '…' : s);

let scratch: string | undefined;
function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'rb-fuzz-'));
  return scratch;
}
/** Removes the scratch folder of the evaluator target. */
export function cleanScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** Arbitrary text, YAML-ish text and generated documents through YAML loading and validation. */
const yamlTarget: Target<string> = {
  name: 'yaml+schema',
  arb: fc.oneof(
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.array(fc.oneof(nastyString, fc.constantFrom('title: x\n', 'detection:\n', '  sel:\n', '    a: b\n', '  condition: sel\n', 'logsource:\n  product: windows\n', 'search: x\n', 'name: n\n', 'id: 1\n', '&a [1]\n', '*a\n', '- ', ': ', '---\n', '!!js/function x\n', '<<: *a\n', '{', '[')), { maxLength: 20 }).map((a) => a.join('')),
    sigmaDoc.map(yamlText),
  ),
  run: (text) => void load(text),
  show: cut,
};

/** Generated Sigma rules through the frontend, every backend (validated) and the evaluator's compiler. */
const sigmaTarget: Target<string> = {
  name: 'sigma',
  arb: fc.oneof(sigmaDoc.map(yamlText), fc.array(sigmaDoc, { minLength: 2, maxLength: 3 }).map((ds) => ds.map(yamlText).join('---\n'))),
  run: (text) => loadAndRender(text, true),
  show: cut,
};

/** Generated SPL searches through the lexer, parser, macros, lowering and every backend. */
const splTarget: Target<string> = {
  name: 'spl',
  arb: splunkDoc.map(yamlText),
  run: (text) => loadAndRender(text, true),
  show: cut,
};

/** Macro names the generated macros and searches share. */
const MACRO_NAMES = ['m0', 'm1', 'm2', 'sysmon'];
/** A macro table of generated definitions: recursion, mutual recursion, arguments, broken text. */
const macroTableArb = fc.array(
  fc.record({
    name: fc.constantFrom(...MACRO_NAMES),
    args: fc.array(fc.constantFrom('a', 'b', 'x y', '$'), { maxLength: 2 }),
    definition: fc.array(fc.oneof(splSearch, nastyString, fc.constantFrom('`m0`', '`m1`', '`m2(1)`', '`m1(\"a\",b)`', '`sysmon`', '$a$', '$b$', '$$', '`', '| stats count', '(', ')')), { minLength: 1, maxLength: 4 }).map((a) => a.join(' ')),
  }),
  { maxLength: 4 },
).map((defs) => {
  const t: MacroTable = new Map();
  for (const d of defs) t.set(macroKey(d.name, d.args.length), { name: d.name, definition: d.definition, args: d.args, file: 'macros/fuzz.yml' });
  return t;
});

/** Generated searches calling generated macros. */
const macroTarget: Target<{ doc: string; table: MacroTable }> = {
  name: 'spl-macros',
  arb: fc.record({
    doc: fc.tuple(splunkDoc, fc.array(fc.constantFrom('`m0`', '`m1`', '`m2(1)`', '`m1(a, \"b\")`', '`sysmon`', '`m0()`', '`m2(`'), { minLength: 1, maxLength: 3 })).map(([d, calls]) => yamlText({ ...d, search: `${calls.join(' ')} ${d.search}` })),
    table: macroTableArb,
  }),
  run: ({ doc, table }) => {
    const rules = loadRuleText(FILE, doc, { macros: table });
    checkLoaded(rules, FILE);
    for (const r of rules) if (r.rule) checkRenders(r.rule, true);
  },
  show: ({ doc, table }) => cut(`${doc}\n--- macros ---\n${JSON.stringify([...table.values()].map(({ name, args, definition }) => ({ name, args, definition })))}`),
};

/** Mutated corpus rules (Sigma files as text; detections as text or inside their search). */
const corpusTarget: Target<{ i: number; spl: boolean; inSearch: boolean; muts: Parameters<typeof mutate>[1] }> = {
  name: 'corpus-mutations',
  arb: fc.record({ i: fc.nat(), spl: fc.boolean(), inSearch: fc.boolean(), muts: fc.array(mutation, { minLength: 1, maxLength: 4 }) }),
  run: ({ i, spl, inSearch, muts }) => {
    const pool = spl && corpusSplunk().length ? corpusSplunk() : corpusSigma();
    const f = pool[i % Math.max(1, pool.length)];
    if (!f) return;
    const text = spl && inSearch ? mutateSearch(f.text, muts) : mutate(f.text, muts);
    loadAndRender(text, true);
  },
  show: ({ i, spl, inSearch, muts }) => {
    const pool = spl && corpusSplunk().length ? corpusSplunk() : corpusSigma();
    return `${pool[i % Math.max(1, pool.length)]?.file ?? '(no corpus)'} ${inSearch ? 'search ' : ''}${JSON.stringify(muts)}`;
  },
};

/** Generated rules compiled and run over fuzzed events in each reader format. */
const evalTarget: Target<{ rule: string; events: unknown[]; format: (typeof EVENT_FORMATS)[number]; garbage: string[] }> = {
  name: 'evaluator',
  arb: fc.record({
    rule: fc.oneof(sigmaDoc.map(yamlText), fc.nat().map((i) => corpusSigma()[i % Math.max(1, corpusSigma().length)]?.text ?? '')),
    events: fc.array(flatEvent, { minLength: 1, maxLength: 8 }),
    format: fc.constantFrom(...EVENT_FORMATS),
    garbage: fc.array(fc.oneof(nastyString, fc.constantFrom('{', '<Event>', '{"a":', '[1]', 'null', '<Event><System></Event>', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}')), { maxLength: 3 }),
  }),
  run: async ({ rule, events, format, garbage }) => {
    const rules = load(rule);
    const c = compileRules(rules);
    checkDiagnostics(c.diagnostics, 'compile');
    const file = join(scratchDir(), `events.${format === 'xml' ? 'xml.log' : 'jsonl'}`);
    const lines = (events as Parameters<typeof encodeEvent>[0][]).map((e) => encodeEvent(e, format));
    garbage.forEach((g, n) => lines.splice((n * 3) % (lines.length + 1), 0, g));
    writeFileSync(file, lines.join('\n') + '\n');
    const res = await evaluateFiles(c.compiled, [file], () => {});
    checkDiagnostics(res.diagnostics, 'evaluate');
    if (({} as Record<string, unknown>).polluted !== undefined) throw new Violation('Object.prototype was polluted');
  },
  show: (x) => cut(JSON.stringify(x)),
};

/** Generated rules through the catalog's pages; rule text never shows up as markup. */
const catalogTarget: Target<string> = {
  name: 'catalog',
  arb: sigmaDoc.map((d) => yamlText({ ...d, title: `${d.title}<x-fz>`, description: `<x-fz>${d.description ?? ''}` })),
  run: (text) => {
    const rules = loadRuleText(FILE, text, { macros: macroTable() });
    const cat = buildCatalog(rules.map((r) => ({ ...r, text })), { convert: true, generated: 'T' });
    const pages = [indexPage(cat), ...cat.rules.map(rulePage)];
    for (const html of pages) if (html.includes('<x-fz')) throw new Violation('rule text reached the HTML unescaped');
  },
  show: cut,
};

/** Loads, renders, validates and evaluates the bundled rules once, so that no case pays for first use. */
export async function warmUp(): Promise<void> {
  const dir = join(REPO, 'rules');
  for (const sub of ['sigma', 'splunk']) {
    for (const n of readdirSync(join(dir, sub))) if (n.endsWith('.yml')) loadAndRender(readFileSync(join(dir, sub, n), 'utf8'), true);
  }
  const rules = [...readdirSync(join(dir, 'sigma'))].filter((n) => n.endsWith('.yml')).flatMap((n) => load(readFileSync(join(dir, 'sigma', n), 'utf8')));
  const ev = readdirSync(join(dir, 'events')).map((n) => join(dir, 'events', n));
  await evaluateFiles(compileRules(rules).compiled, ev, () => {});
  const inputs = ['sigma', 'splunk'].flatMap((sub) => readdirSync(join(dir, sub)).filter((n) => n.endsWith('.yml')).flatMap((n) => {
    const text = readFileSync(join(dir, sub, n), 'utf8');
    return loadRuleText(join(dir, sub, n), text, { macros: macroTable() }).map((r) => ({ ...r, text }));
  }));
  const cat = buildCatalog(inputs, { convert: true, generated: 'T' });
  indexPage(cat);
  cat.rules.forEach(rulePage);
}

/** Every target, in the order they run. */
export const TARGETS: Target[] = [yamlTarget, sigmaTarget, splTarget, macroTarget, corpusTarget, evalTarget, catalogTarget];
