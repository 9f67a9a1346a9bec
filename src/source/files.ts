/**
 * Expands the paths a user gives into files, depth first and sorted, following no symlink twice
 * (a symlink loop cannot hang a batch: a directory is visited once by its real path, and a
 * link that loops on itself fails to resolve with ELOOP). Missing paths are diagnostics, not
 * exceptions. Only regular files are listed: reading a FIFO or a device could block forever.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/index.js';

/** Options of collectFiles. */
export interface CollectOptions {
  /** Files larger than this are left out with an RB104 error instead of being read. */
  maxBytes?: number;
}

/** Files under `paths` whose names end in one of `exts` (a file named directly is always kept). */
export function collectFiles(paths: readonly string[], exts: readonly string[], opts: CollectOptions = {}): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const visit = (p: string, direct: boolean) => {
    let real: string;
    let st;
    try {
      real = realpathSync(p);
      st = statSync(real);
    } catch (e) {
      diagnostics.push(diag('RB901', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: p }));
      return;
    }
    if (st.isDirectory()) {
      if (seen.has(real)) return;
      seen.add(real);
      let names: string[];
      try {
        names = readdirSync(p).sort();
      } catch (e) {
        diagnostics.push(diag('RB901', `cannot list ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: p }));
        return;
      }
      for (const n of names) if (!n.startsWith('.')) visit(join(p, n), false);
    } else if (st.isFile()) {
      if (seen.has(real)) return;
      seen.add(real);
      if (!direct && !exts.some((x) => p.endsWith(x))) return;
      if (opts.maxBytes !== undefined && st.size > opts.maxBytes) {
        diagnostics.push(diag('RB104', `file is larger than ${opts.maxBytes} bytes (${st.size}); not read`, { file: p, line: 1, column: 1 }));
        return;
      }
      files.push(p);
    } else if (direct) {
      diagnostics.push(diag('RB901', `cannot read ${p}: not a regular file or folder`, { file: p }));
    }
  };
  for (const p of paths) visit(p, true);
  return { files, diagnostics };
}
