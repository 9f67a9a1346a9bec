/**
 * Sysmon file events (2, 11, 15) carry CreationUtcTime, which the Splunk add-ons give CIM's
 * Filesystem.file_create_time (ECS file.created): a rule that groups or dedups by it keeps its rows.
 */
import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../src/evaluator/index.js';

const event = (id: number) => ({
  EventID: id, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'h1', SystemTime: '2026-01-01T00:00:00Z',
  Image: 'C:\\w\\x.exe', TargetFilename: 'C:\\t\\a.bat', CreationUtcTime: '2026-01-01 00:00:00.123',
});

describe('Sysmon CreationUtcTime', () => {
  it.each([2, 11, 15])('event %i reads it as file.created', (id) => {
    expect(toCanonical(event(id))['file.created']).toBe('2026-01-01 00:00:00.123');
  });
  it('another Sysmon event keeps it under its own name only', () => {
    expect(toCanonical(event(23))['file.created']).toBeUndefined();
  });
});
