/**
 * iplocation (Search Reference "iplocation"): the evaluator has no geo-IP database, so the
 * location fields are left null (absent) on every row, and one warning per compiled rule says
 * so, instead of a silently different result.
 */
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { iplocationFields, type IpLocation } from '../ir/index.js';
import { own, type CompiledStage } from './stages.js';

/** Compiles the stage: warns once, then clears the location fields of each row. */
export function compileIpLocation(n: IpLocation, diags: Diagnostic[]): CompiledStage {
  const names = iplocationFields(n);
  diags.push(diag('RB507', `iplocation ${n.field}: no geo-IP table is available to the evaluator; ${names.join(', ')} stay null on every row`, n.origin));
  return { kind: 'step', make: () => (c) => {
    if (names.some((k) => k in c.f)) { const f = own(c); for (const k of names) delete f[k]; }
    return true;
  } };
}
