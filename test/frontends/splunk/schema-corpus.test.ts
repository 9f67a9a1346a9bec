import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml, validateDoc } from '../../../src/source/index.js';
import { collectFiles } from '../../../src/source/index.js';
import { CORPUS, HAS_CORPUS, skipNote } from '../../helpers/paths.js';

const DETECTIONS = join(CORPUS, 'splunk', 'detections');

describe('splunk-detection schema over the security_content corpus', () => {
  skipNote('splunk schema corpus test');
  it.skipIf(!HAS_CORPUS)('validates every corpus detection', () => {
    const { files } = collectFiles([DETECTIONS], ['.yml']);
    expect(files.length).toBeGreaterThan(1000);
    const failures: string[] = [];
    for (const f of files) {
      const { docs, diagnostics } = loadYaml(f, readFileSync(f, 'utf8'));
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const d of validateDoc('splunk-detection', docs[0]!)) failures.push(`${f}:${d.line}:${d.column} ${d.message}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
