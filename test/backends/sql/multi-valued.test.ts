/**
 * Multi-valued fields (several unnamed `<Data>` of classic Windows events, canonical
 * `winlog.event_data.Data`): rows hold a list of two or more as JSON array text (sql-rows.ts), and
 * a predicate tests each element. Every case runs through the evaluator (over the raw records) and
 * through the emitted SQL on SQLite and DuckDB: the selected events must be the same, and the
 * expected ones.
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { and, not, pred, type Expr, type Pred, type PredOp } from '../../../src/ir/index.js';
import { render } from '../../../src/backends/index.js';
import { compileRules, evaluateFiles, readEvents, toCanonical } from '../../../src/evaluator/index.js';
import { bothEngines, type Engine } from './engines.js';
import { ruleOf, sqlOf } from './rules.js';

const DATA = 'winlog.event_data.Data';
/** Flat Windows records; `Data` as a list is what the readers make of several unnamed <Data>. */
const RECORDS: Record<string, unknown>[] = [
  { Data: ['C:\\Windows\\Installer\\x.msi', 'ok'] },
  { Data: ['HostId=1\n\tEngineVersion=5', 'z'] },
  { Data: 'single\\\\value' },
  { Data: ['x', 'y'], Other: 'y' },
  {},
  { Data: [] },
  { Data: ['only'] },
  { Data: ['A"B', "it's", '%_*?[', ''] },
].map((r, i) => ({ EventID: 1, Channel: 'Application', EventRecordID: String(i), ...r }));

let engines: Engine[] = [];
let file = '';
beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), 'rb-multi-')), 'events.jsonl');
  writeFileSync(file, RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const events: Record<string, unknown>[] = [];
  for await (const { raw } of readEvents(file, [])) events.push(toCanonical(raw));
  engines = await bothEngines(events);
});

/** Record numbers (0-based lines) the evaluator selects. */
async function evaluated(filter: Expr): Promise<number[]> {
  const { compiled } = compileRules([ruleOf(filter)]);
  expect(compiled.length).toBe(1);
  const lines: number[] = [];
  await evaluateFiles(compiled, [file], (m) => lines.push(m.line - 1));
  return lines.sort((a, b) => a - b);
}

async function selected(eng: Engine, filter: Expr): Promise<number[]> {
  return (await eng.all(sqlOf(ruleOf(filter), eng.name))).map((r) => Number(r['winlog.record_id'])).sort((a, b) => a - b);
}

const p = (op: PredOp, values: Pred['values'], opts: Partial<Pred> = {}) => pred(DATA, op, values, opts);

const CASES: [string, Expr, number[]][] = [
  // Two backslashes: no element has them; the JSON text of record 0 ("C:\\Windows…") would.
  ['contains two backslashes', p('contains', ['\\\\']), [2]],
  ['contains one backslash', p('contains', ['\\']), [0, 2]],
  // `\s` matches the newline and tab of the element; the JSON text has `\n\t` as four characters.
  ['regex over whitespace', p('regex', ['HostId=\\d\\s+EngineVersion=']), [1]],
  ['eq one element', p('eq', ['z']), [1]],
  ['eq case-insensitive', p('eq', ['OK']), [0]],
  ['eq a quote', p('eq', ['a"b']), [7]],
  ['startswith', p('startswith', ['C:\\Windows\\']), [0]],
  ['endswith', p('endswith', ['.msi']), [0]],
  ['wildcard', p('wildcard', ['*\\\\installer\\\\*.msi']), [0]],
  ['wildcard specials', p('wildcard', ['%_\\*\\?[']), [7]],
  ['one-element list', p('eq', ['only']), [6]],
  ['any of several values', p('eq', ['x', 'only']), [3, 6]],
  // Quantifier all: each value must match some element, not necessarily the same one.
  ['all of several values', p('eq', ['x', 'y'], { quantifier: 'all' }), [3]],
  ['all contains', p('contains', ['x', 'k'], { quantifier: 'all' }), [0]],
  ['all contains, one value unmatched', p('contains', ['x', 'q'], { quantifier: 'all' }), []],
  ['eq null: missing or empty list', p('eq', [null]), [4, 5]],
  ['eq null or a value', p('eq', [null, 'y']), [3, 4, 5]],
  ['exists', p('exists', [true]), [0, 1, 2, 3, 6, 7]],
  ['not exists', p('exists', [false]), [4, 5]],
  // NOT: no element matches (a missing field included).
  ['not contains', not(p('contains', ['x'])), [1, 2, 4, 5, 6, 7]],
  ['not regex', not(p('regex', ['\\s'])), [0, 2, 3, 4, 5, 6, 7]],
  ['not all', not(p('eq', ['x', 'y'], { quantifier: 'all' })), [0, 1, 2, 4, 5, 6, 7]],
  ['and over two elements', and([p('eq', ['x']), p('eq', ['y'])]), [3]],
  ['fieldref to a plain field', pred(DATA, 'fieldref', ['winlog.event_data.Other']), [3]],
  ['fieldref from a plain field', pred('winlog.event_data.Other', 'fieldref', [DATA]), [3]],
  ['empty element', p('eq', ['']), [7]],
  // Keywords search every value, each element of a list: `\\` twice is in no element.
  ['keyword in an element', pred('', 'keyword', ['*installer\\\\x.msi']), [0]],
  ['keyword over escapes', pred('', 'keyword', ['*\\\\\\\\*']), [2]],
  ['keyword over whitespace', pred('', 'keyword', ['*=1?\tEngine*']), [1]],
];

describe('sql predicates on multi-valued fields test each element, as the evaluator does', () => {
  for (const [name, filter, want] of CASES) {
    it(name, async () => {
      expect(await evaluated(filter)).toEqual(want);
      for (const eng of engines) expect({ eng: eng.name, got: await selected(eng, filter) }).toEqual({ eng: eng.name, got: want });
    });
  }

  it('ordinary fields keep their simple SQL', () => {
    const sql = sqlOf(ruleOf(pred('winlog.event_data.Other', 'contains', ['x'])), 'sqlite');
    expect(sql).not.toContain('json_each');
    expect(sqlOf(ruleOf(p('contains', ['x'])), 'sqlite')).toContain('json_each');
  });

  it('PostgreSQL and Spark read the elements too', () => {
    for (const [dialect, each] of [['postgres', 'jsonb_array_elements_text'], ['spark', "from_json("]] as const) {
      const r = render(ruleOf(not(p('contains', ['x']))), 'sql', { dialect });
      expect(r.ok).toBe(true);
      expect(r.query).toContain(each);
    }
  });
});
