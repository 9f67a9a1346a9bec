/** Test helpers: load a Splunk detection from text or a fixture, with the fixture macros. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYaml } from '../../../src/source/index.js';
import { loadMacros, splunkFromDoc } from '../../../src/frontends/splunk/index.js';
import type { LoadedRule } from '../../../src/frontends/types.js';
import { REPO } from '../../helpers/paths.js';

export const FIXTURES = join(REPO, 'test', 'fixtures', 'splunk');
export const MACROS = loadMacros([join(FIXTURES, 'macros')]);

/** Lowers the first document of a YAML text. */
export function fromText(text: string, file = 'rule.yml'): LoadedRule {
  const { docs, diagnostics } = loadYaml(file, text);
  if (diagnostics.length || !docs[0]) throw new Error(`fixture YAML does not load: ${JSON.stringify(diagnostics)}`);
  return splunkFromDoc(docs[0], { macros: MACROS });
}

/** Lowers a fixture file of test/fixtures/splunk. */
export function fromFixture(name: string): LoadedRule {
  const file = join(FIXTURES, name);
  return fromText(readFileSync(file, 'utf8'), file);
}

/** A copy of a value without `origin` keys, for structural comparison. */
export function noOrigins<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'origin' ? undefined : x))) as T;
}

/** Code, line and column of each diagnostic, for assertions. */
export function where(r: LoadedRule): string[] {
  return r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
}

/** A minimal valid 2024-format detection around a search (`search: |-` on line 9, its text from line 10, column 3). */
export function rule2024(search: string, extra = ''): string {
  const body = search.split('\n').map((l) => '  ' + l).join('\n');
  return `name: Test Rule
id: 0b0c5f5e-1f3a-4c4e-9a57-0d6c2d0e8a11
version: 1
date: '2024-01-02'
author: Test Author
status: production
type: TTP
data_source: [Sysmon EventID 1]
search: |-
${body}
description: A test rule.
how_to_implement: none
known_false_positives: none
references: []
tags:
  analytic_story: [Test]
  asset_type: Endpoint
  confidence: 50
  impact: 80
  message: test
  mitre_attack_id: [T1059.001]
  observable: []
  product: [Splunk Enterprise]
  required_fields: []
  risk_score: 40
  security_domain: endpoint
${extra}`;
}
