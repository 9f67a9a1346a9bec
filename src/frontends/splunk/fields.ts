/**
 * Field names of an SPL search to canonical (ECS) names. What a name means depends on where it
 * is used: a tstats search names CIM data model fields (`Processes.process_name`), a raw search
 * over Windows logs names event fields (`Image`, or the CIM names the Splunk add-ons extract),
 * and after an aggregate a name is an output column and is kept as written.
 */
import { diag, type Diagnostic, type Origin } from '../../diagnostics/index.js';
import { loadMapping, windowsToCanonical, type WindowsMapping } from '../../ir/index.js';

/** One data model of mappings/cim.json. */
export interface CimModel {
  object: string;
  logsource: { product?: string; category?: string; service?: string };
  fields: Record<string, string>;
}

/** The shape of mappings/cim.json. */
export interface CimMapping {
  datamodels: Record<string, CimModel>;
  aliases?: Record<string, string>;
}

/** The data model named by tstats/from (`Endpoint.Processes`, or a root alias like `Web`). */
export function findDatamodel(name: string): { name: string; model: CimModel } | undefined {
  const m = loadMapping<CimMapping>('cim');
  const clean = name.replace(/^"(.*)"$/, '$1');
  const full = m.datamodels[clean] ? clean : m.aliases?.[clean];
  return full && m.datamodels[full] ? { name: full, model: m.datamodels[full] } : undefined;
}

/** The CIM data model whose log source is a Sigma category (for CIM-named fields in raw searches). */
function modelForCategory(category: string | undefined): CimModel | undefined {
  if (!category) return undefined;
  const m = loadMapping<CimMapping>('cim');
  return Object.values(m.datamodels).find((d) => d.logsource.category === category || (category.startsWith('registry_') && d.object === 'Registry') || (category.startsWith('file_') && d.object === 'Filesystem'));
}

/** Splunk's own fields, the same in every source: kept under their names. */
const SPLUNK_FIELDS = new Set(['_raw', 'sourcetype', 'source', 'index', 'host', 'eventtype', 'splunk_server', 'linecount', 'punct', 'tag']);

/** Maps field names for one position in a pipeline. */
export class FieldContext {
  /** Output columns of an aggregate, or names created by eval/rename/rex: kept as written. */
  readonly defined = new Set<string>();
  afterAggregate = false;
  /** A `bin _time span=…` waiting for the stats it buckets. */
  pendingBin?: { span: string; at: Origin };
  private readonly warned = new Set<string>();
  constructor(
    readonly ds: Diagnostic[],
    public datamodel?: { name: string; model: CimModel; prefixed: boolean },
    public product?: string,
    public category?: string,
  ) {}

  /**
   * True when every name here is the IR's name as written (after an aggregate, or in a source
   * without a field mapping): a field set known only per row (foreach a*, spath) then keeps
   * the names later commands read. `_time` is the one name still mapped.
   */
  keepsNames(): boolean {
    return this.afterAggregate || (!this.datamodel && this.product !== 'windows');
  }

  /** The canonical name of `name`, warning once (RB252) when it has no mapping. */
  canonical(name: string, at: Origin): string {
    if (this.afterAggregate || this.defined.has(name)) return name;
    if (name === '_time') return '@timestamp';
    if (SPLUNK_FIELDS.has(name)) return name;
    const dm = this.datamodel;
    if (dm) {
      const pre = dm.model.object + '.';
      const short = name.startsWith(pre) ? name.slice(pre.length) : dm.prefixed ? undefined : name;
      const hit = short !== undefined ? dm.model.fields[short] : undefined;
      if (hit) return hit;
      return this.unmapped(name, at, `data model ${dm.name}`);
    }
    if (this.product === 'windows') {
      const cat = this.category;
      const w = loadMapping<WindowsMapping>('windows');
      if ((cat && w.categories[cat]?.fields[name]) || w.common[name]) return windowsToCanonical(name, cat).name;
      if (name === 'EventCode') return 'event.code';
      // The Splunk Windows add-ons extract CIM names (dest, process_name, …) from raw events too.
      const cim = (modelForCategory(cat) ?? findDatamodel('Endpoint.Processes')?.model)?.fields[name];
      if (cim) return cim;
      // Windows event fields are CamelCase; the house convention keeps them under winlog.event_data.
      if (/^[A-Z]/.test(name)) return windowsToCanonical(name, cat).name;
    }
    return this.unmapped(name, at, this.product ? `product ${this.product}` : 'this search');
  }

  private unmapped(name: string, at: Origin, where: string): string {
    if (!this.warned.has(name)) {
      this.warned.add(name);
      this.ds.push(diag('RB252', `field '${name}' has no canonical mapping for ${where}; kept as '${name}'`, at));
    }
    return name;
  }
}
