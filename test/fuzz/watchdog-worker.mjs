// The watchdog's thread: polls the case clock the fuzz loop keeps in shared memory and, when
// one case runs past the hard limit (a hang the loop itself cannot notice), prints the case
// and kills the process so that the run fails instead of stalling.
import { workerData } from 'node:worker_threads';
import { writeSync } from 'node:fs';

const { clock, label, hardMs } = workerData;
const t = new Float64Array(clock);
const bytes = new Uint8Array(label);
const wait = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  Atomics.wait(wait, 0, 0, 100);
  if (t[1] === 1) break; // stopped
  const start = t[0];
  if (start > 0 && Date.now() - start > hardMs) {
    const end = bytes.indexOf(0);
    const text = new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
    writeSync(2, `\nFUZZ WATCHDOG: one case ran longer than ${hardMs} ms; killing the run. Case:\n${text}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
