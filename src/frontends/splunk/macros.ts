/**
 * Splunk search macros (security_content `macros/*.yml`: name, definition, arguments) and their
 * expansion. Expansion keeps, for every character of the expanded search, the offset in the
 * original `search:` string it came from: text produced by a macro maps to the backquote of the
 * call site, so errors inside an expansion still point into the rule's .yml file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';

/** One macro definition. */
export interface MacroDef {
  name: string;
  definition: string;
  /** Argument names, substituted as `$name$` in the definition. */
  args: string[];
  /** The .yml it came from (absent for built-ins). */
  file?: string;
}

/** Macros by key: `name` for no arguments, `name(N)` for N arguments (as Splunk's macros.conf). */
export type MacroTable = Map<string, MacroDef>;

/** Expansion depth beyond which a macro is reported as recursive (RB206). */
export const MAX_MACRO_DEPTH = 20;

/** The table key of a macro call with `n` arguments. */
export function macroKey(name: string, n: number): string {
  return n === 0 ? name : `${name}(${n})`;
}

/** Reads every `*.yml`/`*.yaml` macro file of the folders; unreadable or malformed files are skipped. */
export function loadMacros(dirs: readonly string[]): MacroTable {
  const table: MacroTable = new Map();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml')).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const file = join(dir, n);
      try {
        const v = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
        if (!v || typeof v.name !== 'string' || typeof v.definition !== 'string') continue;
        const args = Array.isArray(v.arguments) ? v.arguments.map(String) : [];
        table.set(macroKey(v.name, args.length), { name: v.name, definition: v.definition, args, file });
      } catch {
        // A broken macro file is reported when a rule calls it (RB204), not here.
      }
    }
  }
  return table;
}

/** Built-in macros used when the table has no definition of their own. */
function builtin(name: string, args: string[]): string | undefined {
  const unq = (s: string) => s.replace(/^"(.*)"$/s, '$1');
  if (name === 'drop_dm_object_name' && args.length === 1) return `rename ${unq(args[0]!)}.* AS *`;
  if (name === 'security_content_ctime' && args.length === 1) return `convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(${args[0]})`;
  // Only tstats acceleration options: no effect on which rows come out.
  if (name === 'security_content_summariesonly' && args.length === 0) return '';
  // Every security_content rule ends in `<file_stem>_filter`, `search *` unless a site overrides it.
  if (name.endsWith('_filter') && args.length === 0) return 'search *';
  return undefined;
}

/** An expanded search: the text and, per character, its offset in the original string. */
export interface Expanded {
  text: string;
  offs: number[];
}

/**
 * Expands every backquoted macro call, recursively. `at(offset)` turns an offset of the original
 * string into a file position for diagnostics.
 */
export function expandMacros(search: string, macros: MacroTable, at: (offset: number) => Origin): { expanded: Expanded; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const base = Array.from({ length: search.length }, (_, i) => i);
  const expanded = expand(search, base, macros, at, diagnostics, 0, []);
  return { expanded, diagnostics };
}

function expand(text: string, offs: number[], macros: MacroTable, at: (o: number) => Origin, ds: Diagnostic[], depth: number, stack: string[]): Expanded {
  let out = '';
  const outOffs: number[] = [];
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      out += c + text[i + 1];
      outOffs.push(offs[i]!, offs[i + 1]!);
      i++;
      continue;
    }
    if (c === '"') quote = !quote;
    if (!quote && text.startsWith('```', i)) {
      // An inline comment (Splunk Search Reference, "Add comments to searches"): a space.
      const close = text.indexOf('```', i + 3);
      const stop = close < 0 ? text.length : close + 3;
      out += ' ';
      outOffs.push(offs[i]!);
      i = stop - 1;
      continue;
    }
    if (c !== '`' || quote) {
      out += c;
      outOffs.push(offs[i]!);
      continue;
    }
    const end = text.indexOf('`', i + 1);
    const callOff = offs[i]!;
    if (end < 0) {
      ds.push(diag('RB207', 'the backquoted macro call is not terminated', at(callOff)));
      out += text.slice(i);
      for (let k = i; k < text.length; k++) outOffs.push(offs[k]!);
      break;
    }
    const call = parseCall(text.slice(i + 1, end));
    i = end;
    if (!call) {
      ds.push(diag('RB204', `malformed macro call \`${text.slice(i + 1, end)}\``, at(callOff)));
      continue;
    }
    const key = macroKey(call.name, call.args.length);
    let body: string | undefined;
    const def = macros.get(key);
    // drop_dm_object_name is fixed by the CIM app; its argument is often quoted ("Web").
    if (call.name === 'drop_dm_object_name') body = builtin(call.name, call.args);
    else if (def) {
      body = def.definition;
      def.args.forEach((a, k) => {
        body = body!.split(`$${a}$`).join(call.args[k]!);
      });
    }
    body ??= builtin(call.name, call.args);
    if (body === undefined) {
      const other = [...macros.values()].find((m) => m.name === call.name);
      if (other) ds.push(diag('RB205', `macro \`${call.name}\` takes ${other.args.length} argument(s), called with ${call.args.length}`, at(callOff)));
      else ds.push(diag('RB204', `unknown macro \`${call.name}\``, at(callOff), ['pass the folder of your macros (security_content macros/*.yml)']));
      continue;
    }
    if (depth >= MAX_MACRO_DEPTH || stack.includes(key)) {
      ds.push(diag('RB206', `macro \`${call.name}\` expands recursively (${[...stack, key].join(' → ')})`, at(callOff)));
      continue;
    }
    const inner = expand(body, Array.from({ length: body.length }, () => callOff), macros, at, ds, depth + 1, [...stack, key]);
    // Spaces around the expansion keep it from gluing to neighbouring tokens.
    out += ' ' + inner.text + ' ';
    outOffs.push(callOff, ...inner.offs, callOff);
  }
  return { text: out, offs: outOffs };
}

/** `name` or `name(a, "b, c")`: arguments split at top-level commas, whitespace trimmed. */
function parseCall(s: string): { name: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9_.:-]+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(s);
  if (!m) return undefined;
  if (m[2] === undefined) return { name: m[1]!, args: [] };
  const args: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = false;
  for (let i = 0; i < m[2].length; i++) {
    const c = m[2][i]!;
    if (c === '\\' && quote) { cur += c + (m[2][i + 1] ?? ''); i++; continue; }
    if (c === '"') quote = !quote;
    if (!quote && c === '(') depth++;
    if (!quote && c === ')') depth--;
    if (!quote && depth === 0 && c === ',') { args.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim() !== '' || args.length) args.push(cur.trim());
  return { name: m[1]!, args };
}
