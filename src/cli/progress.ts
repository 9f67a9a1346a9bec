/**
 * A one-line progress display on stderr (events read, events/s), drawn only when stderr is a
 * terminal: a pipe or a file never receives carriage-return noise.
 */
export interface Progress { update(events: number, file: string): void; done(): void }

/** A progress line for `stream`, or a no-op when it is not a TTY. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr, now = () => Date.now()): Progress {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const t0 = now();
  let drawn = false, last = 0;
  return {
    update(events, file) {
      const t = now();
      if (t - last < 200) return; // at most five redraws a second
      last = t;
      const rate = Math.round(events / Math.max((t - t0) / 1000, 0.001));
      const name = file.length > 40 ? '…' + file.slice(-39) : file;
      const text = `${events.toLocaleString('en-US')} events  ${rate.toLocaleString('en-US')} events/s  ${name}`;
      stream.write(`\r${text.slice(0, Math.max((stream.columns ?? 80) - 1, 20)).padEnd(Math.min(stream.columns ?? 80, 100) - 1)}`);
      drawn = true;
    },
    done() { if (drawn) stream.write('\r' + ' '.repeat(Math.min(stream.columns ?? 80, 100) - 1) + '\r'); },
  };
}
