/**
 * The `rulebridge` command line: commander wiring only; the work is in src/index.ts.
 * Each command imports its module when it runs (dynamic import), so start-up loads only
 * commander and the one command used: a one-rule conversion must not pay for the evaluator,
 * the catalog or every other command's dependencies.
 */
import { Command, Option } from 'commander';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Runs the CLI and exits with its code: 0 ok, 1 a rule or event file had an error, 2 usage or internal error. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program.name('rulebridge').description('Convert and run detection rules: Splunk security_content and Sigma in; Sigma, KQL, EQL, SQL, SPL out.').version('0.1.0');
  program.exitOverride();
  let code = 0;

  program
    .command('convert')
    .description('convert rules to targets; prints queries, or writes DIR/<rule>.<ext> with --out')
    .argument('<paths...>', 'rule files or folders')
    .option('--to <targets>', 'comma-separated targets: sigma,kql,eql,sql,spl,ir or all', 'all')
    .option('--out <dir>', 'write one file per rule and target')
    .option('--macros <dir>', 'SPL macro folder (repeatable); default: macros/ beside or above each rule', collect)
    .option('--report <file>', 'write a JSON report (schemas/report.schema.json)')
    .option('--dialect <name>', 'SQL dialect: sqlite, duckdb, postgres, spark')
    .option('--template <file>', 'wrap each query with your own Handlebars template (context: README, "Wrappers and templates")')
    .option('--wrap <name>', 'wrap each query as a sentinel analytic rule (kql), an elastic detection rule (eql) or a savedsearches.conf stanza (spl)')
    .option('--mapping <file>', 'your own mapping file (.json) for the one target of --to, merged over its bundled one (README, "Mappings")')
    .option('--placeholders <file>', 'YAML map of Sigma |expand placeholder values (name: [values]); without it placeholders stay named lists')
    .option('--lookups <dir>', 'lookup folder: <name>.yml definitions and CSV files (repeatable); default: lookups/ beside or above each rule', collect)
    .option('--json', 'print the report as JSON on stdout instead of queries')
    .option('-q, --quiet', 'print only error diagnostics')
    .action(async (paths: string[], flags) => {
      const { runConvert } = await import('./convert.js');
      code = runConvert(paths, flags);
    });

  program
    .command('validate')
    .description('load, validate and lower rules; print every diagnostic')
    .argument('<paths...>', 'rule files or folders')
    .option('--macros <dir>', 'SPL macro folder (repeatable)', collect)
    .option('--lookups <dir>', 'lookup folder: <name>.yml definitions and CSV files (repeatable); default: lookups/ beside or above each rule', collect)
    .option('--report <file>', 'write a JSON report')
    .option('--json', 'print the report as JSON on stdout')
    .option('-q, --quiet', 'print only error diagnostics')
    .action(async (paths: string[], flags) => {
      const { runValidate } = await import('./validate.js');
      code = runValidate(paths, flags);
    });

  program
    .command('eval')
    .description('run rules over event files; one JSON line per match and per aggregate row')
    .argument('<paths...>', 'rule files or folders')
    .requiredOption('--events <paths...>', 'event files or folders (.jsonl, .xml.log, .gz …)')
    .option('--macros <dir>', 'SPL macro folder (repeatable)', collect)
    .option('--report <file>', 'write a JSON report of the matches')
    .option('--workers <n>', 'evaluate per-event rules on n worker threads (0 = one per core); same matches, same order', (v: string) => Number.parseInt(v, 10))
    .option('--lookups <dir>', 'lookup folder: <name>.yml definitions and CSV files (repeatable); default: lookups/ beside or above each rule', collect)
    .option('-q, --quiet', 'print only error diagnostics')
    .action(async (paths: string[], flags) => {
      const { runEval } = await import('./eval.js');
      code = await runEval(paths, flags);
    });

  program
    .command('test')
    .description("run rules' own tests: security_content attack_data (files found under --data) and SigmaHQ regression cases (a folder of info.yml)")
    .argument('<paths...>', 'rule files or folders, and regression folders')
    .option('--data <dir>', 'folder where attack_data files are found by name (repeatable)', collect)
    .option('--junit <file>', 'write JUnit XML')
    .option('--json', 'print the report as JSON on stdout')
    .option('--lookups <dir>', 'lookup folder: <name>.yml definitions and CSV files (repeatable); default: lookups/ beside or above each rule', collect)
    .option('--macros <dir>', 'SPL macro folder (repeatable)', collect)
    .option('-q, --quiet', 'print only error diagnostics')
    .action(async (paths: string[], flags) => {
      const { runTest } = await import('./test.js');
      code = await runTest(paths, flags);
    });

  program
    .command('sql-ddl')
    .description('print the CREATE TABLE of the event table that emitted SQL runs on')
    .addOption(new Option('--dialect <name>', 'SQL dialect').choices(['sqlite', 'duckdb', 'postgres', 'spark']).default('sqlite'))
    .action(async (flags) => {
      const { sqlDdl } = await import('../backends/sql-ddl.js');
      process.stdout.write(sqlDdl(flags.dialect) + '\n');
    });

  program
    .command('catalog')
    .description('write a static site (and catalog.json) with a page per rule, its indicators and corpus counts')
    .argument('<paths...>', 'rule files or folders')
    .requiredOption('--out <dir>', 'folder for the site')
    .option('--macros <dir>', 'SPL macro folder (repeatable)', collect)
    .action(async (paths: string[], flags) => {
      const { runCatalog } = await import('./catalog.js');
      code = await runCatalog(paths, flags);
    });

  program
    .command('inspect')
    .description("print a rule's stages, predicates and indicators (field, kind, values)")
    .argument('<paths...>', 'rule files or folders')
    .option('--macros <dir>', 'SPL macro folder (repeatable)', collect)
    .option('--lookups <dir>', 'lookup folder: <name>.yml definitions and CSV files (repeatable); default: lookups/ beside or above each rule', collect)
    .option('--json', 'print JSON instead of text')
    .action(async (paths: string[], flags) => {
      const { runInspect } = await import('./inspect.js');
      code = runInspect(paths, flags);
    });

  program
    .command('demo')
    .description('convert the bundled rules to every target and evaluate them on the bundled events (npm start)')
    .action(async () => {
      const { runDemo } = await import('./demo.js');
      code = await runDemo();
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
    if (err.code?.startsWith('commander.')) process.exit(2);
    throw e;
  }
  process.exitCode = code;
}
