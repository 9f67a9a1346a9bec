/**
 * A per-case watchdog for fuzzing. Synchronous code that loops forever cannot be interrupted
 * from its own thread, so a worker thread watches a clock in shared memory: the loop stamps the
 * start of each case (and a short description of it), and the worker kills the process with
 * the description on stderr when a case outlives the hard limit. Cases slower than the soft
 * limit but finished are failed by the caller with the input in hand.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/** Handle of a running watchdog. */
export interface Watchdog {
  /** Marks the start of a case; `what` is printed if the case hangs. */
  begin(what: string): void;
  /** Marks the end of the current case. */
  end(): void;
  stop(): Promise<void>;
}

const LABEL_BYTES = 64 * 1024;

/** Starts the watchdog thread; `hardMs` is the longest a case may run before the process dies. */
export function startWatchdog(hardMs: number): Watchdog {
  const clock = new SharedArrayBuffer(16);
  const label = new SharedArrayBuffer(LABEL_BYTES);
  const t = new Float64Array(clock);
  const bytes = new Uint8Array(label);
  const enc = new TextEncoder();
  const worker = new Worker(fileURLToPath(new URL('./watchdog-worker.mjs', import.meta.url)), { workerData: { clock, label, hardMs } });
  worker.unref();
  return {
    begin(what) {
      const b = enc.encode(what.length > LABEL_BYTES / 4 ? what.slice(0, LABEL_BYTES / 4) + '…' : what);
      bytes.fill(0);
      bytes.set(b.subarray(0, LABEL_BYTES - 1));
      t[0] = Date.now();
    },
    end() {
      t[0] = 0;
    },
    async stop() {
      t[1] = 1;
      await worker.terminate();
    },
  };
}
