/**
 * Golden text for every dialect (PostgreSQL and Spark have no engine here, so their text is the
 * test), and the literal escaping rules of each dialect. Set UPDATE_GOLDEN=1 to rewrite.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, not, or, pred, type Stage } from '../../../src/ir/index.js';
import { sparkString } from '../../../src/backends/sql-spark.js';
import { SQL_DIALECTS } from '../../../src/backends/sql-dialects.js';
import { ruleOf, sqlOf } from './rules.js';
import { SEED } from './seed.test.js';

const FIX = resolve(__dirname, '..', '..', 'fixtures', 'sql');

const HOSTILE = ruleOf(
  and([
    pred('process.command_line', 'contains', ["50%_off'\\", 'x"y'], { quantifier: 'all' }),
    pred('process.name', 'eq', ["o'brien\\", 'tab\there'], { caseSensitive: true }),
    pred('winlog.event_data.TargetName', 'wildcard', ['C:\\\\Users\\\\?\\\\*.exe']),
    or([pred('process.command_line', 'regex', ["'\\d+\\\\"]), pred('destination.port', 'ge', [1024])]),
    not(pred('user.name', 'exists', [true])),
  ]),
  [
    { kind: 'aggregate', groupBy: [{ field: 'host.name', as: "it's" }], aggs: [{ fn: 'count', as: 'count' }, { fn: 'min', field: '@timestamp', as: 'firstTime' }] },
    { kind: 'filter', expr: pred('count', 'gt', [5]) },
    { kind: 'eval', assign: [{ field: 'firstTime', expr: { kind: 'call', fn: 'strftime', args: [{ kind: 'field', name: 'firstTime' }, { kind: 'lit', value: "%Y-%m-%d 'at' %H:%M" }] } }] },
  ] satisfies Stage[],
  { product: 'windows', category: 'process_creation' },
);

function golden(name: string, text: string): void {
  const path = resolve(FIX, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('sql golden text', () => {
  for (const d of ['postgres', 'spark', 'duckdb']) {
    it(`hostile rule, ${d}`, () => golden(`hostile.${d}.sql`, sqlOf(HOSTILE, d)));
    it(`seed rule, ${d}`, () => golden(`seed.${d}.sql`, sqlOf(SEED, d)));
  }
});

describe('sql literal escaping per dialect', () => {
  const s = "a'b\\c\"d`e\n%_";
  it('standard SQL (sqlite, duckdb, postgres): only the quote is doubled', () => {
    for (const d of ['sqlite', 'duckdb', 'postgres'] as const) expect(SQL_DIALECTS[d].str(s)).toBe("'a''b\\c\"d`e\n%_'");
  });
  it('spark: backslash and quote are backslash-escaped', () => {
    expect(sparkString(s)).toBe("'a\\'b\\\\c\"d`e\n%_'");
    expect(sparkString('trailing\\')).toBe("'trailing\\\\'");
    expect(SQL_DIALECTS.spark.ident('a`b')).toBe('`a``b`');
  });
  it('identifiers: double quotes doubled', () => {
    expect(SQL_DIALECTS.postgres.ident('a"b')).toBe('"a""b"');
  });
  it('LIKE patterns escape % _ and \\ with an explicit ESCAPE in every dialect', () => {
    const r = ruleOf(pred('process.command_line', 'startswith', ['50%_\\'], { caseSensitive: true }));
    expect(sqlOf(r, 'postgres')).toContain(`"process.command_line" LIKE '50\\%\\_\\\\%' ESCAPE '\\'`);
    expect(sqlOf(r, 'duckdb')).toContain(`"process.command_line" LIKE '50\\%\\_\\\\%' ESCAPE '\\'`);
    expect(sqlOf(r, 'spark')).toContain("`process.command_line` LIKE '50\\\\%\\\\_\\\\\\\\%' ESCAPE '\\\\'");
    expect(sqlOf(r, 'sqlite')).toContain(`"process.command_line" GLOB '50%_\\*'`);
  });
  it('timestamp parts and span buckets per dialect', () => {
    const r = ruleOf(pred('@timestamp', 'eq', [53], { part: 'week' }), [{ kind: 'aggregate', groupBy: [], aggs: [{ fn: 'count', as: 'count' }], span: { field: '@timestamp', seconds: 3600, as: '_time' } }]);
    expect(sqlOf(r, 'postgres')).toContain(`WHERE CAST(EXTRACT(WEEK FROM "@timestamp") AS INTEGER) = 53`);
    expect(sqlOf(r, 'postgres')).toContain(`date_bin(INTERVAL '3600 seconds', "@timestamp", TIMESTAMP '1970-01-01 00:00:00') AS "_time"`);
    expect(sqlOf(r, 'spark')).toContain('WHERE weekofyear(`@timestamp`) = 53');
    expect(sqlOf(r, 'spark')).toContain('timestamp_seconds(CAST(floor(unix_seconds(`@timestamp`) / 3600) * 3600 AS BIGINT)) AS `_time`');
  });
  it('a rule title cannot leave the header comment', async () => {
    const r = ruleOf(pred('host.name', 'eq', ['a']));
    r.meta.title = 'x\nDROP TABLE events; --\r\u2028y';
    const sql = sqlOf(r, 'sqlite');
    expect(sql.split('\n')[0]).toBe('-- x DROP TABLE events; --  y (sqlite)');
    expect(sql.split('\n')).toEqual([expect.stringMatching(/^-- /), 'SELECT *', 'FROM "events"', "WHERE lower(\"host.name\") = lower('a')", '']);
  });
});
