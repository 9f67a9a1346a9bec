/**
 * The README's generated sections (support matrix, diagnostic codes) match the code.
 * `UPDATE_DOCS=1 npx vitest run test/docs.test.ts` rewrites them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { supportMatrixMarkdown } from '../src/backends/index.js';
import { codesMarkdown } from '../src/diagnostics/index.js';
import { REPO } from './helpers/paths.js';

const README = join(REPO, 'README.md');

function section(text: string, name: string): { start: number; end: number } {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${open} … ${close} markers`);
  return { start: start + open.length, end };
}

describe('README generated sections', () => {
  const generated: Record<string, string> = { matrix: supportMatrixMarkdown(), codes: codesMarkdown() };
  for (const [name, body] of Object.entries(generated)) {
    it(`${name} is up to date`, () => {
      let text = readFileSync(README, 'utf8');
      const { start, end } = section(text, name);
      const want = `\n${body}\n`;
      if (process.env.UPDATE_DOCS) {
        text = text.slice(0, start) + want + text.slice(end);
        writeFileSync(README, text);
      }
      expect(readFileSync(README, 'utf8').slice(start, start + want.length)).toBe(want);
    });
  }
});
