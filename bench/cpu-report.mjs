/** Preloaded by bench/run.mjs (`node --import`) into a spawned CLI: reports the process's CPU seconds on exit. */
import { writeSync } from 'node:fs';
process.on('exit', () => {
  const u = process.cpuUsage();
  writeSync(2, `\nBENCH_CPU_MS ${((u.user + u.system) / 1000).toFixed(1)}\n`);
});
