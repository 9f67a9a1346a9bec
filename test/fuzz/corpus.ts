/**
 * Real rules as fuzz seeds: a deterministic sample of ../shared/corpus (Sigma rule files and
 * security_content detections), and text mutations of them. Empty when the corpus is absent.
 */
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { CORPUS, HAS_CORPUS } from '../helpers/paths.js';
import { NASTY, nastyString } from './arbitraries.js';

function ymls(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? ymls(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** Every `every`-th file of a corpus folder (all of them when every = 1). */
function sample(dir: string, every: number): { file: string; text: string }[] {
  return ymls(dir).filter((_, i) => i % every === 0).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

let sigmaFiles: { file: string; text: string }[] | undefined;
let splunkFiles: { file: string; text: string }[] | undefined;

/** A sample of Sigma rule files of the corpus. */
export function corpusSigma(): { file: string; text: string }[] {
  sigmaFiles ??= HAS_CORPUS ? sample(join(CORPUS, 'sigma'), 7) : [];
  return sigmaFiles;
}

/** A sample of security_content detections of the corpus. */
export function corpusSplunk(): { file: string; text: string }[] {
  splunkFiles ??= HAS_CORPUS ? sample(join(CORPUS, 'splunk', 'detections'), 5) : [];
  return splunkFiles;
}

/** The corpus macros folder, when present. */
export const CORPUS_MACROS = join(CORPUS, 'splunk', 'macros');

type Mutation =
  | { k: 'delete'; at: number; len: number }
  | { k: 'insert'; at: number; s: string }
  | { k: 'dupLine'; at: number }
  | { k: 'swapLines'; a: number; b: number }
  | { k: 'indent'; at: number; by: number }
  | { k: 'value'; at: number; s: string }
  | { k: 'truncate'; at: number };

const pos = fc.double({ min: 0, max: 1, noNaN: true });
/** One text edit; positions are fractions of the text so they fit any file. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant('delete' as const), at: pos, len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ k: fc.constant('insert' as const), at: pos, s: fc.oneof(nastyString, fc.constantFrom(...NASTY, ': ', '- ', '&a ', '*a', '!!binary ', '%YAML 1.1\n', '---\n', '? ', '|\n', '>-\n')) }),
  fc.record({ k: fc.constant('dupLine' as const), at: pos }),
  fc.record({ k: fc.constant('swapLines' as const), a: pos, b: pos }),
  fc.record({ k: fc.constant('indent' as const), at: pos, by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ k: fc.constant('value' as const), at: pos, s: nastyString }),
  fc.record({ k: fc.constant('truncate' as const), at: pos }),
);

/** Applies edits to a text. */
export function mutate(text: string, muts: readonly Mutation[]): string {
  let t = text;
  for (const m of muts) {
    const lines = t.split('\n');
    const li = (f: number) => Math.min(lines.length - 1, Math.floor(f * lines.length));
    const ci = (f: number) => Math.min(t.length, Math.floor(f * t.length));
    switch (m.k) {
      case 'delete': t = t.slice(0, ci(m.at)) + t.slice(ci(m.at) + m.len); break;
      case 'insert': t = t.slice(0, ci(m.at)) + m.s + t.slice(ci(m.at)); break;
      case 'truncate': t = t.slice(0, ci(m.at)); break;
      case 'dupLine': lines.splice(li(m.at), 0, lines[li(m.at)] ?? ''); t = lines.join('\n'); break;
      case 'swapLines': {
        const a = li(m.a), b = li(m.b);
        [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
        t = lines.join('\n');
        break;
      }
      case 'indent': {
        const i = li(m.at);
        const l = lines[i] ?? '';
        lines[i] = m.by >= 0 ? ' '.repeat(m.by) + l : l.replace(new RegExp(`^ {0,${-m.by}}`), '');
        t = lines.join('\n');
        break;
      }
      case 'value': {
        const i = li(m.at);
        const l = lines[i] ?? '';
        const c = l.indexOf(': ');
        if (c >= 0) lines[i] = l.slice(0, c + 2) + JSON.stringify(m.s);
        t = lines.join('\n');
        break;
      }
    }
  }
  return t;
}

/** Edits of an SPL search string (inside the YAML, which is re-serialized). */
export function mutateSearch(text: string, muts: readonly Mutation[]): string {
  let doc: Record<string, unknown>;
  try {
    doc = parseYaml(text) as Record<string, unknown>;
  } catch {
    return text;
  }
  if (!doc || typeof doc.search !== 'string') return text;
  doc.search = mutate(doc.search, muts);
  return stringify(doc);
}
