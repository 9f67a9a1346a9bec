/**
 * The normalizer's caches (per event type key plans, per second timestamps) never change a
 * value: the same second in another zone or with other fractions, and the same key under
 * another event type, normalize as they would alone.
 */
import { describe, it, expect } from 'vitest';
import { flatToCanonical, parseTime } from '../../src/evaluator/normalize/index.js';

describe('normalizer caches', () => {
  it('timestamps of one second differ by zone and fraction', () => {
    expect(parseTime('2019-04-27T15:57:25.868863200Z')).toEqual({ iso: '2019-04-27T15:57:25.868863Z', ms: Date.UTC(2019, 3, 27, 15, 57, 25) + 868.863 });
    expect(parseTime('2019-04-27T15:57:25.1Z')).toEqual({ iso: '2019-04-27T15:57:25.100000Z', ms: Date.UTC(2019, 3, 27, 15, 57, 25) + 100 });
    expect(parseTime('2019-04-27T15:57:25+02:00')?.iso).toBe('2019-04-27T13:57:25.000000Z');
    expect(parseTime('2019-04-27 15:57:25')?.iso).toBe('2019-04-27T15:57:25.000000Z');
    expect(parseTime('2019-02-30T00:00:00Z')?.iso).toBe('2019-03-02T00:00:00.000000Z');
  });

  it('one key under two event types gets each type\'s names', () => {
    const sysmon = { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: 'C:\\a\\b.exe', SystemTime: '2019-04-27T15:57:25.1Z' };
    const file = { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 11, Image: 'C:\\a\\b.exe', TargetFilename: 'C:\\x.txt' };
    for (let i = 0; i < 2; i++) {
      const a = flatToCanonical(sysmon), b = flatToCanonical(file);
      expect(a['process.executable']).toBe('C:\\a\\b.exe');
      expect(a['process.name']).toBe('b.exe');
      expect(a['@timestamp']).toBe('2019-04-27T15:57:25.100000Z');
      expect(b['file.path']).toBe('C:\\x.txt');
      expect(b['winlog.event_data.Image']).toBe('C:\\a\\b.exe');
      expect(Object.keys(b)).not.toContain('process.command_line');
    }
  });
});
