/**
 * The tests a rule carries, as cases to run: security_content `tests[].attack_data[]` (each URL's
 * file name is looked up under a local data folder, since the Git LFS URLs are not reachable
 * offline) and SigmaHQ regression cases (`info.yml` per case: `rule_metadata[].id` names the rule,
 * `regression_tests_info[].path` an .evtx whose JSON-lines and XML renderings, `event.jsonl` and
 * `event.xml.log`, lie beside it; each rendering is a case of its own).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RuleIR } from '../ir/index.js';

/** One test of one rule: event files and what must match. */
export interface TestCase {
  rule: RuleIR;
  name: string;
  files: string[];
  /** The regression case's `match_count`, when it gives one (reported when it differs; at least one match passes). */
  exact?: number;
  /** Set when the case cannot run: why (e.g. "data not found: x.log"). */
  skip?: string;
  /** Set when the rule itself did not load or lower: the case is an error. */
  error?: string;
}

/** Every file below the folders, by base name (paths in sorted walk order). */
export function indexData(dirs: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (d: string) => {
    let names: string[];
    try { names = readdirSync(d).sort(); } catch { return; }
    for (const n of names) {
      const p = join(d, n);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) walk(p);
      else { const l = out.get(n); if (l) l.push(p); else out.set(n, [p]); }
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/**
 * The local file for an attack_data URL: among the files of its name, the one whose path shares the
 * most trailing folders with the URL's path (attack_data reuses names such as windows-sysmon.log
 * in many datasets, so `…/T1218.007/atomic_red_team/windows-sysmon.log` is preferred over another
 * dataset's file of the same name); ties go to the first in sorted order.
 */
export function findData(data: Map<string, string[]>, url: string): string | undefined {
  const name = dataFileName(url);
  const cands = data.get(name);
  if (!cands?.length) return undefined;
  let path = url;
  try { path = decodeURIComponent(new URL(url).pathname); } catch { /* a plain path */ }
  const want = path.split(/[\\/]/).filter(Boolean).reverse();
  const score = (p: string) => {
    const have = p.split(/[\\/]/).filter(Boolean).reverse();
    let i = 0;
    while (i < want.length && i < have.length && want[i] === have[i]) i++;
    return i;
  };
  let best = cands[0]!, bestScore = score(best);
  for (const c of cands.slice(1)) { const sc = score(c); if (sc > bestScore) { best = c; bestScore = sc; } }
  return best;
}

/** The file name an attack_data `data` entry names (URL or path). */
export function dataFileName(data: string): string {
  let path = data;
  try { path = new URL(data).pathname; } catch { /* a plain path */ }
  const name = basename(path);
  try { return decodeURIComponent(name); } catch { return name; }
}

interface SplunkTest { name?: unknown; attack_data?: { data?: unknown }[] }

/** The security_content tests of a Splunk detection (its YAML text), resolved against the data index. */
export function splunkCases(rule: RuleIR, text: string, data: Map<string, string[]>): TestCase[] {
  let doc: { tests?: SplunkTest[] };
  try { doc = (parseYaml(text) ?? {}) as typeof doc; } catch { return []; }
  const tests = Array.isArray(doc.tests) ? doc.tests : [];
  return tests.map((t, i) => {
    const name = typeof t.name === 'string' ? t.name : `test ${i + 1}`;
    const urls = (Array.isArray(t.attack_data) ? t.attack_data : []).map((a) => (typeof a?.data === 'string' ? a.data : '')).filter(Boolean);
    const found = urls.map((u) => findData(data, u));
    const missing = urls.filter((_, j) => !found[j]).map(dataFileName);
    const c: TestCase = { rule, name, files: found.filter((f): f is string => f !== undefined) };
    if (!urls.length) c.skip = 'no attack_data';
    else if (missing.length) c.skip = `data not found: ${missing.join(', ')}`;
    return c;
  });
}

/** Folders below `root` that hold an info.yml (regression cases), sorted. */
export function regressionDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try { names = readdirSync(d).sort(); } catch { return; }
    if (names.includes('info.yml')) out.push(d);
    for (const n of names) { const p = join(d, n); try { if (statSync(p).isDirectory()) walk(p); } catch { /* unreadable */ } }
  };
  walk(root);
  return out;
}

interface Info { rule_metadata?: { id?: unknown; title?: unknown }[]; regression_tests_info?: { name?: unknown; path?: unknown; match_count?: unknown }[] }

/** The renderings of a regression case's evtx that the evaluator reads. */
export const REGRESSION_RENDERINGS = ['event.jsonl', 'event.xml.log'];

/**
 * The regression cases under `root` whose rule is in `byId`; a case whose rule is not given is
 * returned in `orphans` (rule id and folder).
 */
export function regressionCases(root: string, byId: Map<string, RuleIR>): { cases: TestCase[]; orphans: { id: string; dir: string }[] } {
  const cases: TestCase[] = [];
  const orphans: { id: string; dir: string }[] = [];
  for (const dir of regressionDirs(root)) {
    let info: Info;
    try { info = (parseYaml(readFileSync(join(dir, 'info.yml'), 'utf8')) ?? {}) as Info; } catch { continue; }
    const tests = Array.isArray(info.regression_tests_info) ? info.regression_tests_info : [];
    for (const meta of info.rule_metadata ?? []) {
      const id = String(meta?.id ?? '');
      const rule = byId.get(id);
      if (!rule) { orphans.push({ id, dir }); continue; }
      tests.forEach((t, i) => {
        // The path is relative to the regression root (regression_data/…); else beside info.yml.
        const p = typeof t.path === 'string' ? t.path : '';
        const near = [resolve(root, dirname(p)), resolve(root, '..', dirname(p)), dir].find((d) => p && existsSync(d)) ?? dir;
        const name = typeof t.name === 'string' ? t.name : `test ${i + 1}`;
        const exact = typeof t.match_count === 'number' ? t.match_count : undefined;
        for (const r of REGRESSION_RENDERINGS) {
          const f = join(near, r);
          const c: TestCase = { rule, name: `${name} [${r}]`, files: existsSync(f) ? [f] : [] };
          if (exact !== undefined) c.exact = exact;
          if (!c.files.length) c.skip = `data not found: ${f}`;
          cases.push(c);
        }
      });
    }
  }
  return { cases, orphans };
}
