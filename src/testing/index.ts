/** Running rules' own tests (security_content attack_data, SigmaHQ regression cases) offline. */
export { indexData, findData, dataFileName, splunkCases, regressionCases, regressionDirs, REGRESSION_RENDERINGS, type TestCase } from './cases.js';
export { runTests, type TestReport, type RuleResult, type TestResult, type TestStatus } from './run.js';
export { toJUnit, xmlEscape } from './junit.js';
