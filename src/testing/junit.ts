/** JUnit XML of a test report: one testsuite per rule, one testcase per test (text escaped). */
import type { TestReport } from './run.js';

/** Escapes text for XML content and attribute values (and drops characters XML 1.0 forbids). */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function toJUnit(report: TestReport): string {
  const a = (s: string) => xmlEscape(s);
  const s = report.summary;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="rulebridge test" tests="${s.tests}" failures="${s.failed}" errors="${s.errors}" skipped="${s.skipped}" time="${s.seconds.toFixed(3)}">`];
  for (const r of report.rules) {
    const n = (st: string) => r.tests.filter((t) => t.status === st).length;
    out.push(`  <testsuite name="${a(r.title)}" id="${a(r.id)}" file="${a(r.file)}" tests="${r.tests.length}" failures="${n('failed')}" errors="${n('error')}" skipped="${n('skipped')}" time="${r.seconds.toFixed(3)}">`);
    for (const t of r.tests) {
      const head = `    <testcase classname="${a(r.id)}" name="${a(t.name)}" time="${t.seconds.toFixed(3)}"`;
      if (t.status === 'passed') { out.push(`${head}/>`); continue; }
      const tag = t.status === 'failed' ? 'failure' : t.status === 'error' ? 'error' : 'skipped';
      out.push(`${head}>`, `      <${tag} message="${a(t.message ?? '')}"/>`, `    </testcase>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
