/**
 * Generators of hostile input for the fuzz suite: strings full of every target's quote and
 * escape characters, Sigma rule documents (detections, modifiers, conditions), SPL searches
 * (terms, commands, macros), and events in each reader format.
 */
import fc from 'fast-check';

/** Characters that end, open or escape something in some target or in YAML/HTML/Handlebars. */
export const NASTY = ['"', "'", '`', '\\', '*', '?', '%', '_', '|', '$', '{', '}', '{{', '}}', '{{{', '<', '>', '&', ';', '--', '/*', '*/', '(', ')', '[', ']', ':', '#', '!', '=', ',', '.', '@', '~', '^', '\n', '\r', '\t', '\0', '\u2028', '\u00e9', '\u{1F600}', '\\\\', '\\*', '\\?', "\\'", '\\"', ' ', '  '];

/** One nasty fragment or a short alphanumeric run. */
const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9.]{1,8}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'grapheme' }) },
);

/** A short string built from nasty fragments. */
export const nastyString = fc.array(fragment, { maxLength: 8 }).map((a) => a.join(''));

/** Field names Sigma rules use, plus hostile ones and prototype keys. */
export const sigmaField = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Image', 'CommandLine', 'ParentImage', 'ParentCommandLine', 'OriginalFileName', 'User', 'TargetFilename', 'TargetObject', 'Details', 'DestinationIp', 'DestinationPort', 'QueryName', 'EventID', 'Hashes', 'ProcessId', 'Computer', 'ScriptBlockText') },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'a.b', 'a b', 'x"y', "x'y", 'x`y', 'x\\y', 'x]y', '{{x}}', '<b>', 'x|y', '') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,12}$/) },
);

const MODIFIERS = ['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cased', 'exists', 'windash', 'base64', 'base64offset', 'wide', 'utf16le', 'cidr', 'gt', 'gte', 'lt', 'lte', 'fieldref', 'expand', 'neq', 'bogus', ''];

/** A `Field|mod|mod` key. */
export const detectionKey = fc.tuple(sigmaField, fc.array(fc.constantFrom(...MODIFIERS), { maxLength: 3 })).map(([f, ms]) => [f, ...ms].join('|'));

/** A scalar value of a detection item. */
export const detectionValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.integer({ min: -70000, max: 70000 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 1.5, '', '*', '?', '\\', 'null', '10.0.0.0/8', '::1/128', '(a+)+$', '(a|aa)*b', '[', '(?i)x', '0x10') },
);

const selectionMap = fc.dictionary(detectionKey, fc.oneof(detectionValue, fc.array(detectionValue, { maxLength: 4 })), { minKeys: 1, maxKeys: 3 });
const selection = fc.oneof({ weight: 4, arbitrary: selectionMap }, { weight: 1, arbitrary: fc.array(fc.oneof(selectionMap, nastyString), { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: nastyString });

const SEL_NAMES = ['selection', 'sel_a', 'sel_b', 'filter', 'filter_main', 'keywords', '__proto__', 'them', 'and'];

/** A condition over the selection names (well formed or not). */
export const condition: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SEL_NAMES, '1 of sel*', 'all of them', '1 of them', 'all of filter*', 'none of sel_*'),
    tie('c').map((c) => `not ${c}`),
    tie('c').map((c) => `(${c})`),
    fc.tuple(tie('c'), fc.constantFrom(' and ', ' or ', ' AND ', ' | ', ' '), tie('c')).map(([a, op, b]) => a + op + b),
    nastyString,
  ),
})).c;

/** A Sigma rule document (as a JS value to be serialized to YAML). */
export const sigmaDoc = fc.record(
  {
    title: nastyString,
    id: fc.oneof(fc.uuid(), nastyString),
    status: fc.constantFrom('test', 'stable', 'experimental', 'bogus'),
    description: nastyString,
    logsource: fc.record(
      {
        product: fc.constantFrom('windows', 'linux', 'macos', 'zeek', 'x'),
        category: fc.constantFrom('process_creation', 'file_event', 'registry_set', 'network_connection', 'dns_query', 'image_load', 'ps_script', 'proxy', 'x'),
        service: fc.constantFrom('security', 'sysmon', 'powershell', 'x'),
      },
      { requiredKeys: [] },
    ),
    detection: fc
      .tuple(fc.dictionary(fc.constantFrom(...SEL_NAMES), selection, { minKeys: 1, maxKeys: 4 }), condition, fc.boolean())
      .map(([sels, cond, list]) => ({ ...sels, condition: list ? [cond] : cond })),
    tags: fc.array(fc.oneof(fc.constantFrom('attack.t1059.001', 'attack.execution', 'cve.2021-44228'), nastyString), { maxLength: 3 }),
    level: fc.constantFrom('low', 'medium', 'high', 'critical', 'x'),
    fields: fc.array(sigmaField, { maxLength: 2 }),
  },
  { requiredKeys: ['title', 'logsource', 'detection'] },
);

/** SPL field names. */
const splField = fc.oneof(
  fc.constantFrom('Image', 'CommandLine', 'process_name', 'Processes.process', 'dest', 'user', 'EventCode', 'count', '_time', '__proto__', 'constructor'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,10}$/),
);
/** An SPL value: a bare word, a quoted string or a number. */
const splValue = fc.oneof(
  nastyString.map((s) => JSON.stringify(s)),
  nastyString.map((s) => `"${s}"`),
  fc.stringMatching(/^[A-Za-z0-9*?.\\]{1,8}$/),
  fc.integer({ min: -5, max: 70000 }).map(String),
);
const term: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(splField, fc.constantFrom('=', '!=', '<', '>=', ' IN '), splValue).map(([f, op, v]) => (op === ' IN ' ? `${f} IN (${v}, ${v})` : `${f}${op}${v}`)),
  splValue,
  fc.constantFrom('NOT', 'OR', 'AND', '(', ')', '`sysmon`', '`security_content_summariesonly`', '`drop_dm_object_name(Processes)`', '`nope`', '`a(`', '[search x]', 'earliest=-24h', 'index=main', 'sourcetype=xmlwineventlog'),
);
const terms = fc.array(term, { minLength: 1, maxLength: 6 }).map((a) => a.join(' '));
const expr = fc.oneof(
  fc.tuple(splField, fc.constantFrom('=', '!=', '>', '<', '=='), splValue).map(([f, o, v]) => `${f}${o}${v}`),
  fc.tuple(fc.constantFrom('like', 'match', 'isnull', 'isnotnull', 'lower', 'len', 'cidrmatch', 'mvcount', 'replace', 'if', 'case', 'coalesce', 'strftime', 'nope'), splField, splValue).map(([fn, f, v]) => `${fn}(${f}, ${v})`),
  nastyString,
);
const command = fc.oneof(
  terms.map((t) => `search ${t}`),
  expr.map((e) => `where ${e}`),
  fc.tuple(splField, expr).map(([f, e]) => `eval ${f}=${e}`),
  fc.tuple(fc.constantFrom('count', 'dc', 'values', 'min', 'max', 'sum', 'avg', 'latest'), splField, fc.array(splField, { maxLength: 2 })).map(([fn, f, by]) => `stats ${fn}(${f}) as c${by.length ? ' by ' + by.join(' ') : ''}`),
  fc.tuple(splField, splField).map(([a, b]) => `rename ${a} as ${b}`),
  fc.array(splField, { minLength: 1, maxLength: 3 }).map((fs) => `table ${fs.join(' ')}`),
  fc.array(splField, { minLength: 1, maxLength: 2 }).map((fs) => `dedup ${fs.join(' ')}`),
  fc.constantFrom('head 5', 'sort - count', 'fillnull value=0', 'bin _time span=1h', '`x_filter`', 'eventstats count by dest', 'mvexpand user', 'lookup t x OUTPUT y', 'join dest [search y]', 'rex field=x "(?<a>.*)"', 'transaction dest maxspan=5m', 'nope', ''),
);
/** An SPL search: terms, or tstats, then piped commands. */
export const splSearch = fc.tuple(
  fc.oneof(terms, fc.constantFrom('| tstats `security_content_summariesonly` count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest', '| from datamodel:Endpoint.Processes', '')),
  fc.array(command, { maxLength: 4 }),
).map(([head, cmds]) => [head, ...cmds].join(' | '));

/** A Splunk security_content detection document around a search. */
export const splunkDoc = fc.record({ search: splSearch, name: nastyString, product: fc.constantFrom('windows', 'linux', 'x') }).map(({ search, name }) => ({
  name: name || 'n',
  id: '6f0e8a4c-8c1e-4d63-9a9f-3a2f1b7c5e21',
  version: 1,
  date: '2024-01-01',
  author: 'fuzz',
  type: 'TTP',
  status: 'production',
  description: name,
  data_source: ['Sysmon EventID 1'],
  search,
  how_to_implement: 'x',
  known_false_positives: 'x',
  references: [],
  tags: { analytic_story: ['x'], asset_type: 'Endpoint', mitre_attack_id: ['T1059'], product: ['Splunk Enterprise'], security_domain: 'endpoint' },
}));

/** Event field values: strings, numbers, nesting, nulls. */
const eventValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 1e308, -0, 'C:\\Windows\\System32\\cmd.exe', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '10.1.2.3', '::1') },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(sigmaField, nastyString, { maxKeys: 2 }) },
);

/** One Windows event as flat fields. */
export const flatEvent = fc.record({
  EventID: fc.oneof(fc.constantFrom(1, 3, 11, 13, 22, 4688, 4104), fc.integer(), nastyString),
  Channel: fc.constantFrom('Microsoft-Windows-Sysmon/Operational', 'Security', 'Microsoft-Windows-PowerShell/Operational', '', 'x'),
  Computer: nastyString,
  fields: fc.dictionary(sigmaField, eventValue, { maxKeys: 6 }),
});
export type FlatEvent = typeof flatEvent extends fc.Arbitrary<infer T> ? T : never;
