/**
 * RuleMeta from a security_content detection, either format.
 *
 * Level: security_content scores risk from 0 to 100 — the 2026 `finding.entity.score` (else the
 * highest `intermediate_findings`/`rba` entity score), the 2024 `tags.risk_score` (else
 * impact × confidence / 100, the formula contentctl used). The score maps to a Sigma level:
 * < 20 informational, < 40 low, < 70 medium, < 90 high, else critical (the seed rule's score
 * 50 is the "medium" its page shows).
 */
import type { RuleMeta } from '../../ir/index.js';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The risk score (0–100) of a detection, if it has one. */
export function riskScore(d: Obj): number | undefined {
  const finding = num(obj(obj(d.finding).entity).score);
  if (finding !== undefined) return finding;
  const entities = [...(Array.isArray(obj(d.intermediate_findings).entities) ? (obj(d.intermediate_findings).entities as unknown[]) : []), ...(Array.isArray(obj(d.rba).risk_objects) ? (obj(d.rba).risk_objects as unknown[]) : [])];
  const scores = entities.map((e) => num(obj(e).score)).filter((x): x is number => x !== undefined);
  if (scores.length) return Math.max(...scores);
  const tags = obj(d.tags);
  const rs = num(tags.risk_score);
  if (rs !== undefined) return rs;
  const impact = num(tags.impact);
  const confidence = num(tags.confidence);
  return impact !== undefined && confidence !== undefined ? Math.round((impact * confidence) / 100) : undefined;
}

/** A Sigma level for a 0–100 risk score. */
export function levelOf(score: number): string {
  return score < 20 ? 'informational' : score < 40 ? 'low' : score < 70 ? 'medium' : score < 90 ? 'high' : 'critical';
}

/** The product named by data_source entries (`Sysmon EventID 1`, `Windows Event Log Security 4688`). */
export function productOf(dataSources: string[]): string | undefined {
  if (dataSources.some((s) => /^(Sysmon EventID|Windows\b|Powershell|PowerShell)/i.test(s) && !/linux/i.test(s))) return 'windows';
  if (dataSources.length && dataSources.every((s) => /linux/i.test(s))) return 'linux';
  return undefined;
}

/** RuleMeta of a detection document. */
export function splunkMeta(d: Obj): RuleMeta {
  const tags = obj(d.tags);
  const attack = strs(d.mitre_attack_id ?? tags.mitre_attack_id);
  const meta: RuleMeta = {
    id: str(d.id) ?? '',
    title: str(d.name) ?? '',
    references: strs(d.references),
    tags: attack.map((t) => `attack.${t.toLowerCase()}`),
    falsepositives: str(d.known_false_positives) ? [str(d.known_false_positives)!] : [],
  };
  const set = (k: keyof RuleMeta, v: string | undefined) => { if (v !== undefined) (meta as unknown as Obj)[k] = v; };
  set('description', str(d.description));
  set('author', str(d.author));
  set('date', str(d.creation_date ?? d.date));
  set('modified', str(d.modification_date));
  set('status', str(d.status));
  const score = riskScore(d);
  if (score !== undefined) meta.level = levelOf(score);
  const ds = strs(d.data_source);
  if (ds.length) meta.dataSources = ds;
  return meta;
}
