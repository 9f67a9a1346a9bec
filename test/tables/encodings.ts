/**
 * Encoding modifiers (sigma-appendix-modifiers.md "Encoding") and windash ("String
 * Modifiers"): base64, base64offset, utf16/utf16le/utf16be/wide under base64 and base64offset,
 * and every dash of windash. Positive events are built by encoding at each byte offset, so the
 * table checks the encoded forms a real command line carries, not only the emitted strings.
 */
import type { TableRow } from './harness.js';
import { cl, sel } from './rows.js';

const R = String.raw;
const b64 = (s: string, enc: BufferEncoding | 'utf16be' | 'utf16' = 'utf8') => {
  let buf: Buffer;
  if (enc === 'utf16be') buf = Buffer.from(s, 'utf16le').swap16();
  else if (enc === 'utf16') buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  else buf = Buffer.from(s, enc);
  return buf.toString('base64');
};

/** The rows of this table. */
export const ROWS: TableRow[] = [
  {
    name: 'base64 of the whole value',
    detection: sel(R`CommandLine|base64: 'whoami /all'`),
    yes: [cl(b64('whoami /all'))],
    // base64 is case-sensitive data; Sigma still matches case-insensitively (modifiers appendix: cased is separate)
    no: [cl(b64('whoami')), cl(`x ${b64('whoami /all')}`), cl('whoami /all')],
  },
  {
    name: 'base64 contains',
    detection: sel(R`CommandLine|base64|contains: 'IEX('`),
    yes: [cl(`powershell -e ${b64('IEX(')}`)],
    no: [cl(`powershell -e ${b64('xIEX(')}`), cl('IEX(')],
  },
  {
    name: 'base64offset contains, every offset',
    detection: sel(R`CommandLine|base64offset|contains: 'http://'`),
    yes: [cl(b64('http://a.b/')), cl(b64('xhttp://a')), cl(b64('xxhttp://a')), cl(`-enc ${b64('iwr http://evil/x')}`)],
    no: [cl(b64('htt://')), cl('http://a.b/'), cl(b64('https://a'))],
  },
  {
    name: 'utf16le base64offset contains',
    detection: sel(R`CommandLine|utf16le|base64offset|contains: 'Invoke-'`),
    yes: [cl(b64('Invoke-X', 'utf16le')), cl(b64('aInvoke-X', 'utf16le')), cl(b64('abInvoke-X', 'utf16le'))],
    no: [cl(b64('Invoke-X')), cl(b64('Invoke_X', 'utf16le'))],
  },
  {
    name: 'wide is utf16le',
    detection: sel(R`CommandLine|wide|base64offset|contains: 'ping '`),
    yes: [cl(b64('ping 1.2.3.4', 'utf16le')), cl(b64('; ping x', 'utf16le'))],
    no: [cl(b64('ping 1.2.3.4')), cl(b64('pong ', 'utf16le'))],
  },
  {
    name: 'utf16be base64 contains',
    detection: sel(R`CommandLine|utf16be|base64|contains: 'cmd'`),
    yes: [cl(`x ${b64('cmd', 'utf16be')} y`)],
    no: [cl(b64('cmd', 'utf16le')), cl(b64('cmd'))],
  },
  {
    name: 'utf16 with byte order mark base64',
    detection: sel(R`CommandLine|utf16|base64: 'cmd'`),
    yes: [cl(b64('cmd', 'utf16'))],
    no: [cl(b64('cmd', 'utf16le')), cl(b64('cmd', 'utf16be'))],
  },
  {
    name: 'utf16 with byte order mark base64offset contains',
    detection: sel(R`CommandLine|utf16|base64offset|contains: 'cmd'`),
    yes: [cl(`-e ${b64('cmd /c x', 'utf16')}`)],
    no: [cl(b64('cmd /c x', 'utf16le')), cl(b64('cmd'))],
  },
  {
    name: 'wide base64 of the whole value',
    detection: sel(R`CommandLine|wide|base64: 'whoami'`),
    yes: [cl(b64('whoami', 'utf16le'))],
    no: [cl(b64('whoami')), cl(b64('whoami', 'utf16be'))],
  },
  {
    name: 'utf16le without base64 is an error',
    detection: sel(R`CommandLine|utf16le|contains: 'cmd'`),
    lowerFails: true,
  },
  {
    name: 'base64 of a wildcard is an error',
    detection: sel(R`CommandLine|base64: 'who*'`),
    lowerFails: true,
  },
  {
    name: 'windash contains: every dash',
    detection: sel(R`CommandLine|windash|contains: ' -enc '`),
    yes: [cl('powershell -enc x'), cl('powershell /ENC x'), cl('powershell \u2013enc x'), cl('powershell \u2014enc x'), cl('powershell \u2015enc x')],
    no: [cl('powershell enc x'), cl('powershell _enc x'), cl('powershell \\enc x'), cl('powershell --enc x')],
  },
  {
    name: 'windash on several dashes of one value',
    detection: sel(R`CommandLine|windash|contains: '-s -t'`),
    yes: [cl('shutdown -s -t 0'), cl('shutdown /s /t 0'), cl('shutdown -s /t 0'), cl('shutdown /S \u2013T 0')],
    no: [cl('shutdown s t'), cl('shutdown -s  -t')],
  },
  {
    name: 'windash with all: each value through any of its dashes',
    detection: sel('CommandLine|windash|contains|all:', "    - ' -a '", "    - ' -b '"),
    yes: [cl('x -a /b y'), cl('x /a -b y'), cl('x /b y /a z')],
    no: [cl('x -a y'), cl('x /b y')],
  },
  {
    name: 'windash exact value',
    detection: sel(R`CommandLine|windash: 'net user /add'`),
    yes: [cl('net user /add'), cl('NET USER -ADD')],
    no: [cl('net user /add x'), cl('net user add')],
  },
];
