/**
 * Modifiers that change the comparison (sigma-appendix-modifiers.md): re with its i/m/s
 * flags, cidr (IPv4 and IPv6), exists, fieldref (also with contains/startswith/endswith and
 * neq), lt/lte/gt/gte, neq, expand, and the time parts minute/hour/day/week/month/year.
 */
import type { TableRow } from './harness.js';
import { cl, sel } from './rows.js';

const R = String.raw;
const net = 'network_connection';
const dip = (v: string) => ({ DestinationIp: v });
const port = (v: number | string) => ({ DestinationPort: v });
const at = (t: string) => ({ SystemTime: t });

/** The rows of this table. */
export const ROWS: TableRow[] = [
  {
    name: 're is case-sensitive and unanchored',
    detection: sel(R`CommandLine|re: '-e(nc|ncodedcommand) [A-Za-z0-9+/=]{8,}'`),
    yes: [cl('powershell -enc SQBFAFgA'), cl('x -encodedcommand AAAAAAAAAA y')],
    no: [cl('powershell -ENC SQBFAFgA'), cl('powershell -enc AAA'), cl('powershell -e SQBFAFgA')],
  },
  {
    name: 're anchors',
    detection: sel(R`CommandLine|re: '^cmd\.exe /c [a-z]+$'`),
    yes: [cl('cmd.exe /c whoami')],
    no: [cl(' cmd.exe /c whoami'), cl('cmd.exe /c whoami x'), cl('cmdxexe /c whoami'), cl('CMD.EXE /c whoami')],
  },
  {
    name: 're with i',
    detection: sel(R`CommandLine|re|i: 'invoke-(expression|webrequest)'`),
    yes: [cl('INVOKE-EXPRESSION $x'), cl('x invoke-WebRequest y')],
    no: [cl('invoke-item'), cl('invokeexpression')],
  },
  {
    name: 're with m',
    detection: sel(R`CommandLine|re|m: '^whoami$'`),
    yes: [cl('echo a\nwhoami\necho b'), cl('whoami')],
    no: [cl('echo whoami'), cl('whoami /all\nx')],
  },
  {
    name: 're without m: caret is the start of the value',
    detection: sel(R`CommandLine|re: '^whoami'`),
    yes: [cl('whoami\nx')],
    no: [cl('echo a\nwhoami')],
  },
  {
    name: 're with s',
    detection: sel(R`CommandLine|re|s: 'begin.+end'`),
    yes: [cl('begin\nx\nend'), cl('begin x end')],
    no: [cl('BEGIN x END'), cl('beginend')],
  },
  {
    name: 're without s: dot stops at a newline',
    detection: sel(R`CommandLine|re: 'begin.+end'`),
    yes: [cl('begin x end')],
    no: [cl('begin\nend'), cl('begin\nx\nend')],
  },
  {
    name: 're with i, m and s',
    detection: sel(R`CommandLine|re|i|m|s: '^a.b$'`),
    yes: [cl('x\nA\nB\ny'), cl('axb')],
    no: [cl('xa\nb'), cl('a\n\nb')],
  },
  {
    name: 're with a quote and a backslash',
    detection: sel(R`CommandLine|re: "'\\\\[a-z]+'"`),
    // YAML "\\\\" is the regex \\, one literal backslash
    yes: [cl(R`echo '\srv' x`)],
    no: [cl(R`echo '\\srv' x`), cl(R`echo "\srv" x`)],
  },
  {
    name: 're inside an or keeps both alternatives',
    detection: ['    sel1:', "        CommandLine|contains: 'certutil'", '    sel2:', R`        CommandLine|re: 'bitsadmin(\.exe)? /transfer'`, '    condition: sel1 or sel2'].join('\n'),
    yes: [cl('CERTUTIL -urlcache'), cl('bitsadmin /transfer j'), cl('bitsadmin.exe /transfer j')],
    no: [cl('bitsadmin /list'), cl('BITSADMIN /TRANSFER j')],
  },
  {
    name: 'cidr IPv4',
    category: net,
    detection: sel('DestinationIp|cidr:', "    - '10.0.0.0/8'", "    - '192.168.1.0/24'"),
    yes: [dip('10.1.2.3'), dip('192.168.1.255'), dip('10.255.255.255')],
    no: [dip('11.0.0.1'), dip('192.168.2.1'), dip('100.0.0.1'), dip('110.0.0.1'), {}],
  },
  {
    name: 'cidr IPv4 prefix not on an octet boundary',
    category: net,
    detection: sel("DestinationIp|cidr: '172.16.0.0/12'"),
    yes: [dip('172.16.0.1'), dip('172.31.255.255'), dip('172.20.1.1')],
    no: [dip('172.15.255.255'), dip('172.32.0.0'), dip('172.160.0.1'), dip('17.16.0.1')],
  },
  {
    name: 'cidr on a value that is not an address',
    category: net,
    detection: sel("DestinationIp|cidr: '10.0.0.0/8'"),
    yes: [dip('10.0.0.1')],
    no: [dip('10.example.com'), dip('10.0.0'), dip('10.0.0.1.5')],
    skip: { spl: 'the SPL oracle of test/helpers computes cidrmatch on IPv4 text only' },
  },
  {
    name: 'cidr IPv6',
    category: net,
    detection: sel('DestinationIp|cidr:', "    - 'fe80::/10'", "    - '2001:db8::/32'"),
    yes: [dip('fe80::1'), dip('2001:db8:1::5'), dip('FEBF:ffff::1')],
    no: [dip('fec0::1'), dip('2001:db9::1'), dip('10.0.0.1'), {}],
    skip: { eql: 'the EQL oracle of test/helpers matches IPv4 networks only', spl: 'the SPL oracle of test/helpers computes cidrmatch on IPv4 text only' },
  },
  {
    name: 'cidr IPv6 first-hextet prefix',
    category: net,
    detection: sel("DestinationIp|cidr: 'fe80::/10'"),
    yes: [dip('fe80::1'), dip('FEBF::1'), dip('fe80:0:0:0:1:2:3:4')],
    no: [dip('fec0::1'), dip('fe7f::1'), dip('10.0.0.1'), dip('::1')],
    skip: { eql: 'the EQL oracle of test/helpers matches IPv4 networks only', spl: 'the SPL oracle of test/helpers computes cidrmatch on IPv4 text only' },
  },
  {
    name: 'exists true',
    detection: sel('User|exists: true'),
    yes: [{ User: 'alice' }, { User: 'NT AUTHORITY\\SYSTEM' }],
    no: [{}],
  },
  {
    name: 'exists false',
    detection: sel('User|exists: false'),
    yes: [{}],
    no: [{ User: 'alice' }],
  },
  {
    name: 'fieldref equality, case-insensitive',
    detection: sel('ParentImage|fieldref: Image'),
    yes: [{ Image: R`C:\a.exe`, ParentImage: R`C:\A.EXE` }],
    no: [{ Image: R`C:\a.exe`, ParentImage: R`C:\b.exe` }, { Image: R`C:\a.exe` }],
  },
  {
    name: 'fieldref contains',
    detection: sel('ParentCommandLine|fieldref|contains: CommandLine'),
    yes: [{ CommandLine: 'whoami', ParentCommandLine: 'cmd /c WHOAMI & x' }],
    no: [{ CommandLine: 'whoami', ParentCommandLine: 'cmd /c who ami' }, { ParentCommandLine: 'x' }],
  },
  {
    name: 'fieldref startswith',
    detection: sel('CommandLine|fieldref|startswith: Image'),
    yes: [{ Image: R`C:\t\a.exe`, CommandLine: R`C:\t\a.exe -x` }],
    no: [{ Image: R`C:\t\a.exe`, CommandLine: R`"C:\t\a.exe" -x` }],
  },
  {
    name: 'fieldref endswith',
    detection: sel('Image|fieldref|endswith: OriginalFileName'),
    yes: [{ Image: R`C:\t\cmd.exe`, OriginalFileName: 'Cmd.Exe' }],
    no: [{ Image: R`C:\t\cmd.exe.bak`, OriginalFileName: 'cmd.exe' }],
  },
  {
    name: 'fieldref with neq',
    detection: sel('OriginalFileName|fieldref|neq: Product'),
    yes: [{ OriginalFileName: 'a.exe', Product: 'b.exe' }],
    no: [{ OriginalFileName: 'a.exe', Product: 'A.EXE' }],
  },
  {
    name: 'lt',
    category: net,
    detection: sel('DestinationPort|lt: 1024'),
    yes: [port(80), port(1023), port(0)],
    no: [port(1024), port(8080)],
  },
  {
    name: 'lte',
    category: net,
    detection: sel('DestinationPort|lte: 1024'),
    yes: [port(1024), port(22)],
    no: [port(1025)],
  },
  {
    name: 'gt',
    category: net,
    detection: sel('DestinationPort|gt: 49151'),
    yes: [port(49152), port(65535)],
    no: [port(49151), port(443)],
  },
  {
    name: 'gte',
    category: net,
    detection: sel("DestinationPort|gte: '49152'"),
    yes: [port(49152), port(50000)],
    no: [port(49151)],
  },
  {
    name: 'comparison compares numbers, not text',
    category: net,
    detection: sel('DestinationPort|gt: 9'),
    yes: [port(10), port(100)],
    no: [port(9), port(8)],
  },
  {
    name: 'neq string',
    detection: sel("User|neq: 'NT AUTHORITY\\SYSTEM'"),
    yes: [{ User: 'alice' }],
    no: [{ User: 'nt authority\\system' }, { User: 'NT AUTHORITY\\SYSTEM' }],
  },
  {
    name: 'neq list is none of the values',
    category: net,
    detection: sel('DestinationPort|neq:', '    - 80', '    - 443'),
    yes: [port(8080), port(22)],
    no: [port(80), port(443)],
  },
  {
    // Without a placeholder file the list stays named (IR op placeholder): no target can fill it in.
    name: 'expand placeholder without a table',
    detection: sel("User|expand: '%admin_users%'"),
  },
  {
    name: 'expand placeholder from a table',
    detection: sel("User|expand: '%admin_users%'"),
    placeholders: { admin_users: ['CORP\\adm-*', 'CORP\\root'] },
    yes: [{ User: 'corp\\adm-jane' }, { User: 'CORP\\ROOT' }],
    no: [{ User: 'CORP\\jane' }, { User: 'CORP\\rootx' }],
  },
  {
    name: 'expand inside a value',
    detection: sel("CommandLine|expand|contains: 'net use %fileshare% '"),
    placeholders: { fileshare: ['Z:', 'Y:'] },
    yes: [cl('cmd /c net use z: \\\\srv\\x'), cl('NET USE Y: /delete')],
    no: [cl('net use X: \\\\srv'), cl('net use Z:\\x')],
  },
  {
    name: 'expand with a placeholder the table lacks',
    detection: sel("User|expand: '%admin_users%'"),
    placeholders: { other: ['x'] },
    lowerFails: true,
  },
  {
    name: 'hour',
    detection: sel('SystemTime|hour: 3'),
    yes: [at('2024-03-05T03:00:00.000Z'), at('2024-03-05T03:59:59.999Z')],
    no: [at('2024-03-05T04:00:00.000Z'), at('2024-03-05T02:59:59.000Z'), at('2024-03-03T13:00:00.000Z')],
  },
  {
    name: 'hour gte',
    detection: sel('SystemTime|hour|gte: 22'),
    yes: [at('2024-03-05T22:00:00.000Z'), at('2024-03-05T23:10:00.000Z')],
    no: [at('2024-03-05T21:59:59.000Z'), at('2024-03-05T02:00:00.000Z')],
  },
  {
    name: 'minute',
    detection: sel('SystemTime|minute: 7'),
    yes: [at('2024-03-05T10:07:00.000Z')],
    no: [at('2024-03-05T07:10:00.000Z'), at('2024-03-05T10:08:00.000Z')],
  },
  {
    name: 'day',
    detection: sel('SystemTime|day: 5'),
    yes: [at('2024-03-05T10:00:00.000Z')],
    no: [at('2024-05-03T10:00:00.000Z'), at('2024-03-15T05:05:05.000Z')],
  },
  {
    name: 'week',
    detection: sel('SystemTime|week: 10'),
    // ISO 8601 weeks: 2025-03-05 is in week 10 (strftime %W says 9, %U says 9)
    yes: [at('2024-03-05T10:00:00.000Z'), at('2025-03-05T10:00:00.000Z')],
    no: [at('2024-03-12T10:00:00.000Z'), at('2024-10-10T10:10:10.000Z')],
  },
  {
    name: 'month',
    detection: sel('SystemTime|month: 3'),
    yes: [at('2024-03-31T23:59:59.000Z')],
    no: [at('2024-04-01T00:00:00.000Z'), at('2024-01-03T03:03:03.000Z')],
  },
  {
    name: 'year',
    detection: sel('SystemTime|year: 2024'),
    yes: [at('2024-01-01T00:00:00.000Z')],
    no: [at('2023-12-31T23:59:59.000Z')],
  },
];
