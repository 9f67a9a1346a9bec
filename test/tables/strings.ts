/**
 * Plain string values and the positional modifiers (sigma-rules-specification.md "String
 * Wildcard", "Escape Character"; sigma-appendix-modifiers.md "Generic Modifiers"): wildcards,
 * escapes, anchoring and case in every target.
 */
import type { TableRow } from './harness.js';
import { cl, img, sel } from './rows.js';

const R = String.raw;

/** The rows of this table. */
export const ROWS: TableRow[] = [
  {
    name: 'plain value is an anchored case-insensitive equality',
    detection: sel(R`OriginalFileName: 'msiexec.exe'`),
    yes: [{ OriginalFileName: 'msiexec.exe' }, { OriginalFileName: 'MsiExec.EXE' }],
    no: [{ OriginalFileName: 'msiexec.exe.bak' }, { OriginalFileName: 'xmsiexec.exe' }, {}],
  },
  {
    name: 'contains',
    detection: sel(R`CommandLine|contains: ' /y '`),
    yes: [cl('msiexec /y a.dll'), cl('MSIEXEC /Y A.DLL')],
    no: [cl('msiexec /ya.dll'), cl('msiexec -y a.dll'), {}],
  },
  {
    name: 'startswith',
    detection: sel(R`CommandLine|startswith: 'cmd /c'`),
    yes: [cl('cmd /c whoami'), cl('CMD /C')],
    no: [cl(' cmd /c whoami'), cl('xcmd /c'), cl('cmd  /c')],
  },
  {
    name: 'endswith',
    detection: sel(R`Image|endswith: '\cmd.exe'`),
    yes: [img(R`C:\Windows\System32\cmd.exe`), img(R`C:\X\CMD.EXE`)],
    no: [img(R`C:\X\mycmd.exe`), img(R`C:\X\cmd.exe.bak`), img('cmd.exe')],
  },
  {
    name: 'startswith keeps a trailing backslash literal',
    detection: sel(R`Image|startswith: 'C:\Windows\'`),
    yes: [img(R`C:\Windows\cmd.exe`), img(R`c:\windows\x`)],
    no: [img(R`C:\WindowsApps\x.exe`), img(R`C:\Windows`)],
  },
  {
    name: 'trailing backslash in a plain value',
    detection: sel(R`CurrentDirectory: 'C:\Temp\'`),
    yes: [{ CurrentDirectory: R`C:\Temp\ `.trimEnd() }, { CurrentDirectory: R`c:\temp\ `.trimEnd() }],
    no: [{ CurrentDirectory: 'C:\\Temp' }, { CurrentDirectory: 'C:\\Temp\\\\' }, { CurrentDirectory: 'C:\\Temp\\x' }],
  },
  {
    name: 'star is any run of characters, anchored at both ends',
    detection: sel(R`CommandLine: 'powershell*-enc*'`),
    yes: [cl('powershell -enc AAA'), cl('PowerShell.exe -ENC'), cl('powershell-enc')],
    no: [cl(' powershell -enc'), cl('pwsh -enc'), cl('powershell -en c')],
  },
  {
    name: 'mid-string star stays anchored and case-insensitive',
    detection: sel(R`Image: 'C:\Windows\\*\rundll32.exe'`),
    yes: [img(R`C:\Windows\System32\rundll32.exe`), img(R`c:\windows\SysWOW64\RUNDLL32.EXE`), img(R`C:\Windows\a\b\rundll32.exe`)],
    no: [img(R`D:\C:\Windows\x\rundll32.exe`), img(R`C:\Windows\x\rundll32.exe.bak`), img(R`C:\Windows\rundll32.exe`)],
  },
  {
    name: 'question mark is exactly one character',
    detection: sel(R`OriginalFileName: 'cmd?exe'`),
    yes: [{ OriginalFileName: 'cmd.exe' }, { OriginalFileName: 'CMD_EXE' }],
    no: [{ OriginalFileName: 'cmdexe' }, { OriginalFileName: 'cmd..exe' }, { OriginalFileName: 'cmd.exe.' }],
  },
  {
    name: 'question mark inside contains',
    detection: sel(R`CommandLine|contains: 'a?c'`),
    yes: [cl('xx abc yy'), cl('A-C')],
    no: [cl('ac'), cl('a--c'), cl('ab')],
  },
  {
    name: 'escaped star is a literal star',
    detection: sel(R`CommandLine: 'dir \*.txt'`),
    yes: [cl('dir *.txt'), cl('DIR *.TXT')],
    no: [cl('dir a.txt'), cl('dir .txt'), cl('dir **.txt')],
  },
  {
    name: 'escaped question mark is a literal question mark',
    detection: sel(R`CommandLine|endswith: 'help \?'`),
    yes: [cl('net help ?'), cl('HELP ?')],
    no: [cl('net help x'), cl('net help ??'), cl('help')],
  },
  {
    name: 'double backslash before a star is a backslash then a wildcard',
    detection: sel(R`Image: 'C:\Temp\\*'`),
    yes: [img(R`C:\Temp\a.exe`), img("c:\\temp\\")],
    no: [img(R`C:\Temp`), img(R`C:\Tempx\a.exe`)],
  },
  {
    name: 'triple backslash star is a backslash then a literal star',
    detection: sel(R`Image: 'C:\Temp\\\*'`),
    yes: [img(R`C:\Temp\*`)],
    no: [img(R`C:\Temp\a`), img(R`C:\Temp\\*`)],
  },
  {
    name: 'four backslashes are two backslashes',
    detection: sel(R`CommandLine|contains: '\\\\server\share'`),
    yes: [cl(R`net use \\server\share`), cl(R`\\SERVER\SHARE\x`)],
    no: [cl(R`net use \server\share`), cl(R`\\server\\share`)],
  },
  {
    name: 'single backslash not before a wildcard is literal',
    detection: sel(R`CommandLine|contains: '\Device\HarddiskVolumeShadowCopy'`),
    yes: [cl(R`copy \\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy1\x`)],
    no: [cl(R`copy /Device/HarddiskVolumeShadowCopy1`), cl(R`DeviceHarddiskVolumeShadowCopy`)],
  },
  {
    name: 'cased plain value',
    detection: sel(R`CommandLine|cased: 'Get-Process'`),
    yes: [cl('Get-Process')],
    no: [cl('get-process'), cl('GET-PROCESS'), cl('Get-Process -x')],
  },
  {
    name: 'cased contains',
    detection: sel(R`CommandLine|contains|cased: 'FromBase64String'`),
    yes: [cl('[Convert]::FromBase64String($x)')],
    no: [cl('[convert]::frombase64string($x)'), cl('FromBase64')],
  },
  {
    name: 'cased startswith with a wildcard',
    detection: sel(R`CommandLine|startswith|cased: 'Invoke-?xpression'`),
    yes: [cl('Invoke-Expression $x'), cl('Invoke-Xxpression')],
    no: [cl('invoke-expression $x'), cl('Invoke-xpression')],
  },
  {
    name: 'a list of values is any of them',
    detection: sel("OriginalFileName:", "    - 'cmd.exe'", "    - 'powershell.exe'"),
    yes: [{ OriginalFileName: 'CMD.EXE' }, { OriginalFileName: 'powershell.exe' }],
    no: [{ OriginalFileName: 'pwsh.exe' }, {}],
  },
  {
    name: 'contains all',
    detection: sel("CommandLine|contains|all:", "    - ' -nop '", "    - ' -w hidden '"),
    yes: [cl('powershell -nop -w hidden -c x'), cl('powershell -W HIDDEN -NOP x')],
    no: [cl('powershell -nop x'), cl('powershell -w hidden x')],
  },
  {
    name: 'several fields of one selection are all required',
    detection: sel(R`Image|endswith: '\msiexec.exe'`, R`CommandLine|contains: '/z'`),
    yes: [{ Image: R`C:\W\msiexec.exe`, CommandLine: 'msiexec /z a.dll' }],
    no: [{ Image: R`C:\W\msiexec.exe`, CommandLine: 'msiexec /i a.msi' }, { Image: R`C:\W\cmd.exe`, CommandLine: 'x /z' }],
  },
];
