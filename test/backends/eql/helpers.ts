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
