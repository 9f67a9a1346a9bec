/**
 * `--lookups DIR` names the folder of Splunk lookup definitions when it is not a `lookups/`
 * folder beside or above the rule: the definition's matching rules (here case-insensitive) then
 * reach the lowered rule, and without it the frontend warns (RB255) and assumes Splunk's default.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/paths.js';

const BIN = join(REPO, 'bin', 'rulebridge.js');
const CASE = join(REPO, 'test', 'golden', 'spl-09-lookup');
const MACROS = join(REPO, 'test', 'fixtures', 'splunk', 'golden-macros');

function lowered(...extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'rb-lookups-'));
  try {
    const rule = join(dir, 'rule.yml'); // alone: no lookups/ folder beside or above it
    copyFileSync(join(CASE, 'rule.yml'), rule);
    const r = spawnSync(process.execPath, [BIN, 'convert', rule, '--to', 'ir', '--macros', MACROS, ...extra], { cwd: REPO, encoding: 'utf8' });
    const ir = r.status === 0 ? JSON.parse(r.stdout) : undefined;
    const lookup = ir?.query.stages.find((s: { kind: string }) => s.kind === 'lookup');
    return { code: r.status, err: r.stderr, lookup };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('--lookups', () => {
  it('without it, a rule away from its lookups folder gets RB255 and case-sensitive matching', () => {
    const r = lowered();
    expect(r.err).toMatch(/RB255/);
    expect(r.lookup).toMatchObject({ table: 'golden_tools', caseSensitive: true });
  });
  it('with it, the definition found there applies (case-insensitive) and nothing is warned', () => {
    const r = lowered('--lookups', join(CASE, 'lookups'));
    expect(r.err).not.toMatch(/RB255/);
    expect(r.lookup).toMatchObject({ table: 'golden_tools', caseSensitive: false });
  });
});
