/**
 * strftime patterns (SPL strftime/convert ctime) as KQL format_datetime calls. format_datetime
 * (learn.microsoft.com/kusto/query/format-datetime-function) knows a fixed set of specifiers and
 * only the delimiters ` / - : , . _ [ ]`; any other literal (the `T` of ISO times) is joined with
 * strcat between formatted pieces.
 */
import { kqlString } from './kql-literal.js';

const SPEC: Record<string, string> = {
  Y: 'yyyy', y: 'yy', m: 'MM', d: 'dd', H: 'HH', I: 'hh', M: 'mm', S: 'ss', p: 'tt',
  '3N': 'fff', '6N': 'ffffff',
};
const COMPOSITE: Record<string, string> = { F: '%Y-%m-%d', T: '%H:%M:%S', D: '%m/%d/%y', R: '%H:%M' };
const DELIMS = new Set([' ', '/', '-', ':', ',', '.', '_', '[', ']']);

/** A KQL string expression formatting datetime `t` like strftime `fmt`, or the first specifier it cannot write. */
export function strftimeToKql(t: string, fmt: string): { text: string } | { unsupported: string } {
  let pattern = fmt;
  for (const [k, v] of Object.entries(COMPOSITE)) pattern = pattern.split(`%${k}`).join(v);
  const pieces: string[] = [];
  let run = ''; // a format_datetime pattern being built
  let runHasSpec = false;
  let lit = ''; // literal text waiting to be emitted
  const flushRun = () => {
    if (runHasSpec) pieces.push(`format_datetime(${t}, ${kqlString(run)})`);
    else if (run) lit = run + lit;
    run = '';
    runHasSpec = false;
  };
  const flushLit = () => {
    if (lit) pieces.push(kqlString(lit));
    lit = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '%') {
      const three = pattern.slice(i + 1, i + 3);
      const key = SPEC[three] !== undefined ? three : pattern[i + 1] ?? '';
      if (key === '%') {
        flushRun();
        lit += '%';
        i++;
        continue;
      }
      const spec = SPEC[key];
      if (spec === undefined) return { unsupported: `%${key}` };
      if (!runHasSpec) {
        flushLit();
      }
      run += spec;
      runHasSpec = true;
      i += key.length;
    } else if (DELIMS.has(c) && runHasSpec) run += c;
    else {
      // a literal: delimiters trailing the run are moved out with it
      const trail = run.match(/[^A-Za-z]*$/)![0];
      if (runHasSpec && trail) run = run.slice(0, run.length - trail.length);
      flushRun();
      lit += trail + c;
    }
  }
  flushRun();
  flushLit();
  if (pieces.length === 0) return { text: kqlString('') };
  return { text: pieces.length === 1 ? pieces[0]! : `strcat(${pieces.join(', ')})` };
}
