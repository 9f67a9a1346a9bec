/**
 * JSON Schema validation with ajv. The schemas every rule is validated against run as
 * precompiled code (schema-codegen.ts, src/source/validators/), used only while its recorded
 * hash matches the schema file; any other schema (or a changed one) is compiled by ajv once, on
 * first use. Every violation becomes a diagnostic at the offending value's line and column.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Ajv2020, ValidateFunction, ErrorObject } from 'ajv/dist/2020.js';
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { originAt, pointer, type SourceDoc } from './yaml-source.js';
import { newAjv, schemaHash, type PrecompiledName } from './schema-codegen.js';
import * as sigmaRule from './validators/sigma-rule.js';
import * as sigmaCorrelation from './validators/sigma-correlation.js';
import * as sigmaFilter from './validators/sigma-filter.js';
import * as splunkDetection from './validators/splunk-detection.js';

/** The generated validators, with the hash of the schema text each was made from. */
const PRECOMPILED: Record<PrecompiledName, { SCHEMA_SHA256: string; validate: unknown }> = {
  'sigma-rule': sigmaRule,
  'sigma-correlation': sigmaCorrelation,
  'sigma-filter': sigmaFilter,
  'splunk-detection': splunkDetection,
};

/** Root of the installed package (holds schemas/, templates/, mappings/). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Names of the bundled schemas (files schemas/<name>.schema.json). */
export type SchemaName = 'splunk-detection' | 'sigma-rule' | 'sigma-correlation' | 'sigma-filter' | 'ir' | 'report' | 'mapping';

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function getAjv(): Ajv2020 {
  return (ajv ??= newAjv());
}

function schemaText(name: SchemaName): string {
  return readFileSync(join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`), 'utf8');
}

/** Reads a bundled schema as JSON. */
export function readSchema(name: SchemaName): object {
  return JSON.parse(schemaText(name)) as object;
}

/** The validator for a bundled schema: precompiled when it matches the schema file, else compiled once. */
export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const pre = PRECOMPILED[name as PrecompiledName];
    const text = schemaText(name);
    v = pre && pre.SCHEMA_SHA256 === schemaHash(text) ? (pre.validate as ValidateFunction) : getAjv().compile(JSON.parse(text) as object);
    compiled.set(name, v);
  }
  return v;
}

/** Validates a plain value (no positions); returns ajv's error objects. */
export function validateValue(name: SchemaName, value: unknown): ErrorObject[] {
  const v = validator(name);
  return v(value) ? [] : [...(v.errors ?? [])];
}

/** Validates a loaded YAML document; each error carries file, JSON pointer, line and column. */
export function validateDoc(name: SchemaName, src: SourceDoc, base = ''): Diagnostic[] {
  const errors = validateValue(name, src.value);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let ptr = base + e.instancePath;
    let useKey = false;
    let message = `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      ptr = ptr + pointer(extra);
      useKey = true;
      message = `unknown property '${extra}' at ${e.instancePath || '/'}`;
    } else if (e.keyword === 'required') {
      message = `missing required property '${(e.params as { missingProperty: string }).missingProperty}' at ${e.instancePath || '/'}`;
    } else if (e.keyword === 'enum') {
      message += `: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((x) => JSON.stringify(x)).join(', ')}`;
    }
    if (seen.has(message)) continue;
    seen.add(message);
    out.push(diag('RB110', message, originAt(src, ptr, useKey)));
  }
  return out;
}
