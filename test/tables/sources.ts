/**
 * The same modifiers over other log sources, whose fields map to other columns in each target
 * (registry, file and DNS events): a modifier must keep its meaning whatever the mapping.
 */
import type { TableRow } from './harness.js';
import { sel } from './rows.js';

const R = String.raw;

/** The rows of this table. */
export const ROWS: TableRow[] = [
  {
    name: 'registry path contains with a trailing backslash',
    category: 'registry_set',
    detection: sel(R`TargetObject|contains: '\CurrentVersion\Run\'`, R`Details|startswith: 'C:\Users\'`),
    yes: [{ TargetObject: R`HKU\S-1\Software\Microsoft\Windows\CurrentVersion\Run\x`, Details: R`C:\Users\a\x.exe` }],
    no: [
      { TargetObject: R`HKU\S-1\Software\Microsoft\Windows\CurrentVersion\RunOnce\x`, Details: R`C:\Users\a\x.exe` },
      { TargetObject: R`HKU\S-1\Software\Microsoft\Windows\CurrentVersion\Run\x`, Details: R`C:\Users` },
    ],
  },
  {
    name: 'file name endswith and a wildcard directory',
    category: 'file_event',
    detection: sel(R`TargetFilename|endswith: '.lnk'`, R`TargetFilename|contains: '\Start Menu\Programs\Startup\'`),
    yes: [{ TargetFilename: R`C:\Users\a\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\x.LNK` }],
    no: [{ TargetFilename: R`C:\Users\a\Desktop\x.lnk` }, { TargetFilename: R`C:\Users\a\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\x.lnk.txt` }],
  },
  {
    name: 'network destination port list and image endswith',
    category: 'network_connection',
    detection: sel(R`Image|endswith:`, R`    - '\rundll32.exe'`, R`    - '\regsvr32.exe'`, 'DestinationPort:', '    - 80', '    - 443'),
    yes: [{ Image: R`C:\W\rundll32.exe`, DestinationPort: 443 }, { Image: R`C:\W\REGSVR32.EXE`, DestinationPort: '80' }],
    no: [{ Image: R`C:\W\rundll32.exe`, DestinationPort: 8443 }, { Image: R`C:\W\cmd.exe`, DestinationPort: 443 }],
  },
];
