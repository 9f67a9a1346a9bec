import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/backends/index.js';
import { evalEql, parseEql } from '../../helpers/eql-parse.js';
import { seedRule } from './helpers.js';

describe('seed rule → eql', () => {
  const out = render(seedRule(), 'eql');
  it('renders the filter alone, warning about the summary stages at the aggregate', () => {
    expect(out.ok).toBe(true);
    expect(out.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([['RB404', 'warning', 16, 7]]);
    expect(out.query).toBe(readFileSync(resolve(__dirname, '../../fixtures/eql/seed.eql'), 'utf8').trimEnd());
  });
  it('matches the seed events it should', () => {
    const q = parseEql(out.query!);
    const ev = (name: string, ofn: string, cmd: string) => ({ 'host.os.type': 'windows', 'event.type': 'start', 'process.name': name, 'process.pe.original_file_name': ofn, 'process.command_line': cmd });
    expect(evalEql(q.where, ev('MSIEXEC.EXE', 'x', 'msiexec.exe /y C:\\a.dll'))).toBe(true);
    expect(evalEql(q.where, ev('renamed.exe', 'msiexec.exe', 'renamed.exe -Y a.dll'))).toBe(true);
    expect(evalEql(q.where, ev('msiexec.exe', 'msiexec.exe', 'msiexec.exe /i a.msi'))).toBe(false);
    expect(evalEql(q.where, ev('cmd.exe', 'cmd.exe', 'cmd.exe /y'))).toBe(false);
  });
});
