/**
 * One row per silent mis-translation of ../shared/reference/fields-and-pitfalls.md that a
 * modifier or value can trigger; each row must hold in every target or fail with a diagnostic.
 */
import type { TableRow } from './harness.js';
import { cl, img, sel } from './rows.js';

const R = String.raw;
// SQLite's expression depth limit is 1000 (SQLITE_MAX_EXPR_DEPTH): one more value than that.
const many = Array.from({ length: 1001 }, (_, i) => `tool${String(i).padStart(4, '0')}.exe`);

/** The rows of this table. */
export const ROWS: TableRow[] = [
  {
    name: 'question mark is not a star',
    detection: sel(R`Image|endswith: '\psexe?.exe'`),
    yes: [img(R`C:\t\psexec.exe`), img(R`C:\t\PSEXES.EXE`)],
    no: [img(R`C:\t\psexe.exe`), img(R`C:\t\psexeccc.exe`)],
  },
  {
    name: 'mid-string wildcard is anchored and case-insensitive',
    detection: sel(R`CommandLine: 'foo*bar'`),
    yes: [cl('FOO x BAR'), cl('foobar')],
    no: [cl('xfoo bar'), cl('foo barx'), cl('foo')],
  },
  {
    name: 'boolean is not dropped',
    category: 'network_connection',
    detection: sel(R`Image|endswith: '\powershell.exe'`, 'Initiated: true'),
    yes: [{ Image: R`C:\p\powershell.exe`, Initiated: 'true' }],
    no: [{ Image: R`C:\p\powershell.exe`, Initiated: 'false' }],
  },
  {
    name: 'time part is not a string equality',
    detection: sel(R`SystemTime|hour: 3`, R`CommandLine|contains: 'backup'`),
    yes: [{ SystemTime: '2024-06-01T03:15:00.000Z', CommandLine: 'backup' }],
    no: [{ SystemTime: '2024-06-01T13:15:00.000Z', CommandLine: 'backup' }, { SystemTime: '2024-06-03T00:00:00.000Z', CommandLine: 'backup' }],
  },
  {
    name: 'regex in an or with other selections',
    detection: ['    a:', "        CommandLine|contains: 'vssadmin'", '    b:', R`        CommandLine|re: 'wmic.+shadowcopy.+delete'`, '    c:', "        CommandLine|contains: 'wbadmin'", '    condition: a or b or c'].join('\n'),
    yes: [cl('vssadmin delete shadows'), cl('wmic shadowcopy delete'), cl('wbadmin delete catalog')],
    no: [cl('wmic process list'), cl('WMIC SHADOWCOPY DELETE')],
  },
  {
    name: 'regex with a single quote',
    detection: sel(R`CommandLine|re: "-c '[^']+'"`),
    yes: [cl("bash -c 'id'")],
    no: [cl("bash -c ''"), cl('bash -c "id"')],
  },
  {
    name: 'value with a single and a double quote',
    detection: sel(R`CommandLine|contains: 'say "it''s"'`),
    yes: [cl(`echo say "it's" now`)],
    no: [cl(`echo say "its" now`), cl(`echo say 'it's' now`)],
  },
  {
    name: 'a long list stays one expression',
    detection: sel('OriginalFileName:', ...many.map((m) => `    - '${m}'`)),
    yes: [{ OriginalFileName: 'tool0000.exe' }, { OriginalFileName: 'TOOL1000.EXE' }],
    no: [{ OriginalFileName: 'tool1001.exe' }],
  },
  {
    name: 'a long contains list stays within the expression depth',
    detection: sel('CommandLine|contains:', ...many.map((m) => `    - '${m}'`)),
    yes: [cl('run tool0000.exe now'), cl('TOOL1000.EXE')],
    no: [cl('tool1001.exe')],
  },
  {
    name: 'trailing spaces in the command line do not change a match',
    detection: sel(R`CommandLine: 'whoami /all'`),
    yes: [cl('whoami /all'), cl('whoami /all   ')],
    no: [cl('whoami /all x')],
  },
  {
    name: 'a GUID with or without braces',
    detection: sel(R`ProcessGuid: '{9a1c2b3d-1111-6750-0001-000000000e00}'`),
    yes: [{ ProcessGuid: '{9A1C2B3D-1111-6750-0001-000000000E00}' }, { ProcessGuid: '9a1c2b3d-1111-6750-0001-000000000e00' }],
    no: [{ ProcessGuid: '{9A1C2B3D-1111-6750-0001-000000000E01}' }],
    open: { eql: 'the literal keeps the braces; winlogbeat writes process.entity_id without them (as the canonical event has it)' },
    skip: { spl: 'Splunk keeps the GUID as the event renders it; the oracle event is canonical (no braces)' },
  },
  {
    name: 'hex with or without zero padding',
    service: 'security',
    detection: sel('EventID: 4688', "NewProcessId: '0x000001fc'"),
    yes: [{ EventID: 4688, NewProcessId: '0x1fc' }, { EventID: 4688, NewProcessId: '0x000001FC' }],
    no: [{ EventID: 4688, NewProcessId: '0x1fd' }],
    skip: { spl: 'Splunk keeps the value as the event renders it; the oracle event is canonical (no padding)', eql: 'winlogbeat keeps winlog.event_data as rendered; the oracle event is canonical' },
  },
  {
    name: 'trailing spaces in a rule value',
    detection: sel("CommandLine: 'whoami /all  '"),
    yes: [cl('whoami /all'), cl('whoami /all  ')],
    no: [cl('whoami /all x')],
    skip: { eql: 'Elastic keeps trailing spaces as rendered; the oracle event is canonical (trimmed)', spl: 'Splunk keeps trailing spaces as rendered; the oracle event is canonical (trimmed)' },
  },
  {
    name: 'channel name in lower case',
    service: 'security',
    detection: sel('EventID: 4688', R`NewProcessName|endswith: '\whoami.exe'`),
    yes: [{ EventID: 4688, NewProcessName: R`C:\W\whoami.exe` }, { Channel: 'security', EventID: 4688, NewProcessName: R`C:\W\whoami.exe` }],
    no: [{ EventID: 4689, NewProcessName: R`C:\W\whoami.exe` }],
  },
];
