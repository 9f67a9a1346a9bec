/** When a stage filter already has one enclosing pair of parentheses (else it is wrapped before AND). */
import { describe, expect, it } from 'vitest';
import { enclosed } from '../../../src/backends/sql-stages.js';

describe('enclosed', () => {
  it.each([
    ['(a = 1)', false, true],
    ['((a = 1) OR (b = 2))', false, true],
    ['(a = 1) OR (b = 2)', false, false],
    ['(a) AND b', false, false],
    ["(a = ')(')", false, true],
    ["(a = '(') OR (b = ')')", false, false],
    ["(a = 'it''s)') OR (b = 1)", false, false],
    ['("we""ird)" = 1) OR (b = 1)', false, false],
    ["(a GLOB '*\\x')", false, true],
    ["(a = '\\') OR (b = 1)", true, false],
    ["(a = 'x\\y')", true, false],
    ["(a = 'unterminated)", false, false],
    ['a = 1', false, false],
  ])('%s (backslash escapes %s) → %s', (sql, bs, expected) => {
    expect(enclosed(sql, bs)).toBe(expected);
  });
});
