/**
 * The library API: load rules of any supported format, convert them to targets, evaluate them
 * over event files. The CLI is a thin layer over these functions; its commands import the
 * modules re-exported here one by one (src/index/load-rules.ts, src/index/convert-rules.ts,
 * the evaluator), so a command loads only the parts it runs.
 */
export * from './diagnostics/index.js';
export type * from './ir/nodes.js';
export type { LoadedRule } from './frontends/types.js';
export { TARGETS, render, BACKENDS, FEATURES } from './backends/index.js';
export type { RenderOptions, RenderResult, Target } from './backends/index.js';
export { loadRuleText } from './frontends/load.js';
export { compileRules, evaluateFiles } from './evaluator/index.js';
export { RULE_EXTENSIONS, findMacroDirs, loadRules, reportRule, type LoadRulesOptions, type ReportRule } from './index/load-rules.js';
export { convert, convertRule } from './index/convert-rules.js';
