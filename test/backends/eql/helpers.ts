/** Shared builders for the EQL and SPL backend tests. */
import type { Expr, LogSource, RuleIR, Stage } from '../../../src/ir/index.js';

/** A rule with the given filter, log source and stages. */
export function ruleOf(filter: Expr, stages: Stage[] = [], source: LogSource = { product: 'windows', category: 'process_creation' }): RuleIR {
  return {
    format: 'sigma',
    file: 'rules/t.yml',
    meta: { id: '00000000-0000-0000-0000-000000000000', title: 't', references: [], tags: [], falsepositives: [] },
    query: { source, filter, stages },
  };
}

/** Values meant to break out of a string or pattern. */
export const HOSTILE: string[] = [
  'msiexec.exe',
  'say "hi"',
  "it's",
  'back`tick',
  'C:\\Windows\\System32\\',
  'trailing\\',
  '\\\\server\\share',
  'star*lit',
  'ques?tion',
  '50% off_now',
  'line1\nline2',
  'cr\rtab\t',
  'a|b$c^d',
  '{{ handlebars }} {{{x}}}',
  'ünïcödé 日本 🙂',
  '\\*\\?',
  '"""',
  'a\\"b',
  '(paren) [br] {x} .+',
  '#@&~<>',
];

/** Where an origin points in tests. */
export const AT = { file: 'rules/t.yml', line: 7, column: 5 };

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, or, pred } from '../../../src/ir/index.js';

const SEED_KEYS = 'action dest original_file_name parent_process parent_process_exec parent_process_guid parent_process_id parent_process_name parent_process_path process process_exec process_guid process_hash process_id process_integrity_level process_name process_path user user_id vendor_product'.split(' ');

/**
 * The seed rule (windows_msiexec_dllregisterserver) built by hand: msiexec by name or original
 * file name, command line containing ` /y` or ` -y`, tstats count/firstTime/lastTime by the
 * seed's keys (named as after drop_dm_object_name), then ctime of firstTime and lastTime.
 */
export function seedRule(): RuleIR {
  const cim = JSON.parse(readFileSync(resolve(__dirname, '../../../mappings/cim.json'), 'utf8')).datamodels['Endpoint.Processes'].fields as Record<string, string>;
  const at = (line: number, column: number) => ({ file: 'rules/splunk/windows_msiexec_dllregisterserver.yml', line, column });
  const filter = and([
    or([pred('process.name', 'eq', ['msiexec.exe'], { origin: at(17, 12) }), pred('process.pe.original_file_name', 'eq', ['msiexec.exe'], { origin: at(17, 12) })]),
    pred('process.command_line', 'contains', [' /y', ' -y'], { origin: at(17, 30) }),
  ]);
  const ctime = (f: string) => ({ field: f, expr: { kind: 'call' as const, fn: 'strftime', args: [{ kind: 'field' as const, name: f }, { kind: 'lit' as const, value: '%Y-%m-%dT%H:%M:%S' }] } });
  const stages: Stage[] = [
    {
      kind: 'aggregate',
      groupBy: SEED_KEYS.map((k) => ({ field: cim[k]!, as: k })),
      aggs: [{ fn: 'count', as: 'count' }, { fn: 'min', field: '@timestamp', as: 'firstTime' }, { fn: 'max', field: '@timestamp', as: 'lastTime' }],
      origin: at(16, 7),
    },
    { kind: 'eval', assign: [ctime('firstTime')], origin: at(26, 9) },
    { kind: 'eval', assign: [ctime('lastTime')], origin: at(27, 9) },
  ];
  return { ...ruleOf(filter, stages, { product: 'windows', category: 'process_creation', extra: { datamodel: 'Endpoint.Processes' } }), format: 'splunk', file: 'rules/splunk/windows_msiexec_dllregisterserver.yml' };
}
