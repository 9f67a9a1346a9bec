/**
 * The field name a rule wrote, recovered from a canonical field: Sigma keeps it in the origin's
 * JSON pointer (`/detection/selection/Image|endswith`); a CIM rule's data model maps it back
 * (`process.name` in Endpoint.Processes is `Processes.process_name`). Display only: counting
 * always uses the canonical name.
 */
import { canonicalToWindows, loadMapping, type RuleIR } from '../ir/index.js';

interface CimModel {
  object: string;
  fields: Record<string, string>;
}
interface CimMapping {
  datamodels: Record<string, CimModel>;
  aliases?: Record<string, string>;
}

/** Decodes one JSON-pointer segment (RFC 6901: `~1` is `/`, `~0` is `~`). */
function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The field key of a Sigma detection pointer, without modifiers, or undefined (keywords). */
export function sigmaFieldFromPointer(pointer: string | undefined): string | undefined {
  if (!pointer) return undefined;
  const segs = pointer.split('/').slice(1).map(unescapePointer);
  const at = segs.indexOf('detection');
  if (at < 0) return undefined;
  // detection / <selection> / [index] / <field|mods> / [index]
  for (const s of segs.slice(at + 2)) {
    if (/^\d+$/.test(s)) continue;
    const field = s.split('|')[0]!;
    return field || undefined;
  }
  return undefined;
}

function cimName(field: string, datamodel: string | undefined): string | undefined {
  if (!datamodel) return undefined;
  const m = loadMapping<CimMapping>('cim');
  const model = m.datamodels[datamodel] ?? m.datamodels[m.aliases?.[datamodel] ?? ''];
  if (!model) return undefined;
  for (const [k, v] of Object.entries(model.fields)) if (v === field) return `${model.object}.${k}`;
  return undefined;
}

/** The field as the rule wrote it, where that can be known; else the canonical name. */
export function displayField(field: string, rule: RuleIR, pointer?: string): string {
  if (rule.format === 'sigma') {
    const written = sigmaFieldFromPointer(pointer);
    if (written) return written;
  } else {
    const cim = cimName(field, rule.query.source.extra?.datamodel);
    if (cim) return cim;
  }
  return canonicalToWindows(field, rule.query.source.category) ?? field;
}
