/**
 * MITRE ATT&CK from rule tags: techniques (`attack.t1218.007`) and tactics
 * (`attack.defense-evasion`), as the Sigma tags appendix writes them. A technique's tactics are
 * the rule's own tactic tags (narrowed to those mappings/attack-techniques.json gives the
 * technique, when the two agree on any); a rule without tactic tags (Splunk names techniques
 * only) takes the data file's; else the technique is filed under `unknown`.
 */
import { loadMapping } from '../ir/index.js';

/** Enterprise tactics in matrix order (ATT&CK v18 adds stealth and defense-impairment). */
export const TACTICS = [
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'stealth', 'defense-impairment', 'credential-access', 'discovery', 'lateral-movement',
  'collection', 'command-and-control', 'exfiltration', 'impact',
] as const;

const TACTIC_SET = new Set<string>(TACTICS);

interface TechniqueMap {
  techniques: Record<string, { name?: string; tactics: string[] }>;
}

/** Technique ids of a rule's tags and ATT&CK ids, upper-case, sorted, unique. */
export function techniquesOf(tags: readonly string[], ids: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t.trim());
    if (m) out.add(m[1]!.toUpperCase());
  }
  for (const id of ids) if (/^T\d{4}(\.\d{3})?$/i.test(id.trim())) out.add(id.trim().toUpperCase());
  return [...out].sort();
}

/** Tactics a rule's tags name (`attack.execution`), in matrix order. */
export function tacticsOf(tags: readonly string[]): string[] {
  const names = new Set(tags.map((t) => t.trim().toLowerCase().replace(/^attack\./, '').replace(/_/g, '-')).filter((t) => TACTIC_SET.has(t)));
  return TACTICS.filter((t) => names.has(t));
}

/** The tactics of a technique in one rule: the rule's tags first, then the data file (sub-techniques use their parent's row). */
export function techniqueTactics(technique: string, ruleTactics: readonly string[]): string[] {
  const m = loadMapping<TechniqueMap>('attack-techniques').techniques;
  const known = m[technique]?.tactics ?? m[technique.split('.')[0]!]?.tactics ?? [];
  if (ruleTactics.length) {
    const both = ruleTactics.filter((t) => known.includes(t));
    return both.length ? both : [...ruleTactics];
  }
  return known.length ? [...known] : ['unknown'];
}

/** A technique's name from the data file, if it has one. */
export function techniqueName(technique: string): string | undefined {
  const m = loadMapping<TechniqueMap>('attack-techniques').techniques;
  return m[technique]?.name ?? m[technique.split('.')[0]!]?.name;
}

/** One cell of the matrix: a technique under a tactic, with the rules that cover it. */
export interface MatrixCell {
  technique: string;
  name?: string;
  rules: number;
  /** 0..1: the share of the busiest cell's count, for shading. */
  shade: number;
}

/** One column of the matrix. */
export interface MatrixColumn {
  tactic: string;
  cells: MatrixCell[];
}

/** Tactic columns with the techniques the rules cover, most-covered first. */
export function attackMatrix(rules: readonly { techniques: string[]; tactics: string[] }[]): MatrixColumn[] {
  const byTactic = new Map<string, Map<string, number>>();
  for (const r of rules) {
    for (const t of r.techniques) {
      for (const tac of techniqueTactics(t, r.tactics)) {
        let col = byTactic.get(tac);
        if (!col) byTactic.set(tac, (col = new Map()));
        col.set(t, (col.get(t) ?? 0) + 1);
      }
    }
  }
  let max = 1;
  for (const col of byTactic.values()) for (const n of col.values()) max = Math.max(max, n);
  const order = [...TACTICS, ...[...byTactic.keys()].filter((t) => !TACTIC_SET.has(t)).sort()];
  return order
    .filter((t) => byTactic.has(t))
    .map((tactic) => ({
      tactic,
      cells: [...byTactic.get(tactic)!]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([technique, n]) => {
          const name = techniqueName(technique);
          return { technique, ...(name ? { name } : {}), rules: n, shade: Math.round((n / max) * 100) / 100 };
        }),
    }));
}
