/**
 * security_content production detections over Windows Security events (the CIM Change data model,
 * the Splunk add-on for Windows' Security names), a Defender remote-thread target and the CIM app
 * of network connections: each renders, on the expected table, with no Kusto.Language error; the
 * rewrites are inexact, so each carries an RB404 warning. Skipped without ../shared/corpus.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { render } from '../../../src/backends/index.js';
import { loadRules } from '../../../src/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';
import { KUSTO_SKIP, kustoErrors } from '../../helpers/kusto.js';

/** Rule file (without .yml) → the table its unified KQL reads. */
const CONVERTED: Record<string, string> = {
  detect_excessive_account_lockouts_from_endpoint: 'SecurityEvent',
  detect_excessive_user_account_lockouts: 'SecurityEvent',
  windows_create_local_account: 'SecurityEvent',
  windows_multiple_accounts_deleted: 'SecurityEvent',
  windows_multiple_accounts_disabled: 'SecurityEvent',
  powershell_remote_thread_to_known_windows_process: 'DeviceEvents',
  lolbas_with_network_traffic: 'DeviceNetworkEvents',
};

skipNote('the KQL run of Windows Security corpus rules');

describe.skipIf(!HAS_CORPUS || !!KUSTO_SKIP)('kql: Windows Security and single corpus detections', () => {
  const dir = join(CORPUS, 'splunk', 'detections', 'endpoint');
  const { rules } = HAS_CORPUS ? loadRules(Object.keys(CONVERTED).map((n) => join(dir, `${n}.yml`))) : { rules: [] };

  it.each(Object.entries(CONVERTED))('%s renders on %s, valid, with its inexact rewrites warned', (name, table) => {
    const loaded = rules.find((r) => r.rule?.file.endsWith(`/${name}.yml`));
    expect(loaded?.rule).toBeDefined();
    const r = render(loaded!.rule!, 'kql');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.query!.split('\n').find((l) => !l.startsWith('//'))).toBe(table);
    expect(kustoErrors(r.query!)).toEqual([]);
    expect(r.diagnostics.some((d) => d.code === 'RB404' && d.file === loaded!.rule!.file && d.line !== undefined)).toBe(true);
  });
});
