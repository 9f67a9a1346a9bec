/**
 * JSON Schema validation with ajv. Each schema in schemas/ is compiled once, on first use, and
 * every violation becomes a diagnostic at the offending value's line and column.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { diag, type Diagnostic } from '../diagnostics/index.js';
import { originAt, pointer, type SourceDoc } from './yaml-source.js';

/** Root of the installed package (holds schemas/, templates/, mappings/). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Names of the bundled schemas (files schemas/<name>.schema.json). */
export type SchemaName = 'splunk-detection' | 'sigma-rule' | 'sigma-correlation' | 'sigma-filter' | 'ir' | 'report' | 'mapping';

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function getAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
    const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  }
  return ajv;
}

/** Reads a bundled schema as JSON. */
export function readSchema(name: SchemaName): object {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as object;
}

/** The compiled validator for a bundled schema. */
export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = getAjv().compile(readSchema(name));
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
