/**
 * Value shapes (sigma-rules-specification.md "Lists", "Maps", "Value types", "Keywords"):
 * null and empty values, keyword (value-only) detections, lists of maps, booleans and numbers.
 */
import type { TableRow } from './harness.js';
import { cl, lines, sel } from './rows.js';

const R = String.raw;

/** The rows of this table. */
export const ROWS: TableRow[] = [
  {
    name: 'null is a missing field',
    detection: sel('User: null'),
    yes: [{}],
    no: [{ User: 'alice' }],
  },
  {
    name: 'not null',
    detection: lines('    sel:', "        Image|endswith: '\\a.exe'", '    filter:', '        User: null', '    condition: sel and not filter'),
    yes: [{ Image: R`C:\a.exe`, User: 'bob' }],
    no: [{ Image: R`C:\a.exe` }, { Image: R`C:\b.exe`, User: 'bob' }],
  },
  {
    name: 'empty value is the empty string',
    detection: sel("ParentCommandLine: ''"),
    yes: [{ ParentCommandLine: '' }],
    no: [{ ParentCommandLine: 'x' }, { ParentCommandLine: ' x' }],
  },
  {
    name: 'empty or null, as the specification writes it',
    detection: lines('    sel_main:', "        Image|endswith: '\\a.exe'", '    sel_empty1:', "        User: ''", '    sel_empty2:', '        User: null', '    condition: sel_main and 1 of sel_empty*'),
    yes: [{ Image: R`C:\a.exe`, User: '' }, { Image: R`C:\a.exe` }],
    no: [{ Image: R`C:\a.exe`, User: 'x' }],
  },
  {
    name: 'keyword search',
    detection: lines('    keywords:', "        - 'mimikatz'", '    condition: keywords'),
    yes: [cl('Invoke-MIMIKATZ'), { Image: R`C:\t\mimikatz.exe` }],
    no: [cl('mimi katz'), {}],
  },
  {
    name: 'keyword list with a wildcard',
    detection: lines('    keywords:', "        - 'sekurlsa::*pass'", "        - 'lsadump::sam'", '    condition: keywords'),
    yes: [cl('mimikatz sekurlsa::logonpasswords exit'), cl('LSADUMP::SAM')],
    no: [cl('sekurlsa::logon'), cl('lsadump:sam')],
  },
  {
    name: 'keywords with all',
    detection: lines('    keywords:', "        '|all':", "            - 'net'", "            - 'user'", '    condition: keywords'),
    yes: [cl('net user x /add'), { Image: 'net.exe', CommandLine: 'user' }],
    no: [cl('net group'), cl('user')],
  },
  {
    name: 'list of maps is any map',
    detection: lines('    sel:', "        - Image|endswith: '\\certutil.exe'", "          CommandLine|contains: 'urlcache'", "        - OriginalFileName: 'bitsadmin.exe'", '    condition: sel'),
    yes: [{ Image: R`C:\W\certutil.exe`, CommandLine: 'certutil -urlcache -f' }, { OriginalFileName: 'BITSADMIN.EXE' }],
    no: [{ Image: R`C:\W\certutil.exe`, CommandLine: 'certutil -decode' }, { CommandLine: 'urlcache' }],
  },
  {
    name: 'boolean value',
    category: 'network_connection',
    detection: sel('Initiated: true'),
    yes: [{ Initiated: 'true' }, { Initiated: 'True' }],
    no: [{ Initiated: 'false' }, {}],
  },
  {
    name: 'boolean false',
    category: 'network_connection',
    detection: sel('Initiated: false'),
    yes: [{ Initiated: 'false' }],
    no: [{ Initiated: 'true' }, {}],
  },
  {
    name: 'number value',
    category: 'network_connection',
    detection: sel('DestinationPort: 4444'),
    yes: [{ DestinationPort: 4444 }, { DestinationPort: '4444' }],
    no: [{ DestinationPort: 44444 }, { DestinationPort: 444 }],
  },
  {
    name: 'number list',
    category: 'network_connection',
    detection: sel('DestinationPort:', '    - 4444', '    - 5555'),
    yes: [{ DestinationPort: 5555 }],
    no: [{ DestinationPort: 4445 }],
  },
  {
    name: 'number on an event data field',
    service: 'security',
    detection: sel('EventID: 4624', 'LogonType: 3'),
    yes: [{ EventID: 4624, LogonType: 3 }, { EventID: 4624, LogonType: '3' }],
    no: [{ EventID: 4624, LogonType: 10 }, { EventID: 4624, LogonType: 33 }, { EventID: 4625, LogonType: 3 }],
  },
  {
    name: 'number under a string modifier is text',
    detection: sel('CommandLine|endswith: 1337'),
    yes: [cl('nc -lvp 1337')],
    no: [cl('nc -lvp 13370'), cl('1337 x')],
  },
  {
    name: 'the event id alone is a query',
    detection: sel('EventID: 1'),
    yes: [cl('x')],
    no: [{ EventID: 5 }],
  },
  {
    name: 'string and number in one list',
    category: 'network_connection',
    detection: sel('DestinationPort:', "    - '8080'", '    - 3389'),
    yes: [{ DestinationPort: 8080 }, { DestinationPort: 3389 }],
    open: { eql: 'EQL writes the string \'8080\' as destination.port : "8080", a wildcard match on a long field (ECS destination.port), which Elastic rejects and the oracle never matches' },
    no: [{ DestinationPort: 80 }],
  },
];
