/**
 * SPL commands that exist (Splunk Search Reference, plus the custom commands security_content
 * relies on) but that this frontend does not lower. They parse, and lowering reports RB250
 * naming them; any other command name is RB203.
 */
export const KNOWN_COMMANDS: ReadonlySet<string> = new Set([
  'abstract', 'accum', 'addcoltotals', 'addinfo', 'addtotals', 'analyzefields', 'anomalies', 'anomalousvalue',
  'anomalydetection', 'append', 'appendcols', 'appendpipe', 'arules', 'associate', 'audit', 'autoregress', 'bin',
  'bucket', 'bucketdir', 'chart', 'cluster', 'cofilter', 'collect', 'concurrency', 'contingency', 'correlate',
  'datamodel', 'dbinspect', 'delete', 'delta', 'diff', 'erex', 'eventcount', 'eventstats', 'extract', 'kv',
  'fieldformat', 'fieldsummary', 'filldown', 'findtypes', 'folderize', 'foreach', 'format', 'gauge', 'gentimes',
  'geom', 'geostats', 'head', 'highlight', 'history', 'iconify', 'inputcsv', 'inputlookup', 'iplocation', 'join',
  'kmeans', 'kvform', 'loadjob', 'localize', 'localop', 'lookup', 'makecontinuous', 'makemv', 'makeresults', 'map',
  'mcollect', 'metadata', 'metasearch', 'meventcollect', 'mpreview', 'msearch', 'mstats', 'multikv', 'multisearch',
  'mvcombine', 'mvexpand', 'nomv', 'outlier', 'outputcsv', 'outputlookup', 'outputtext', 'overlap', 'pivot',
  'predict', 'rangemap', 'rare', 'redistribute', 'regex', 'reltime', 'replace', 'require', 'rest', 'return',
  'reverse', 'rtorder', 'savedsearch', 'script', 'scrub', 'searchtxn', 'selfjoin', 'sendemail', 'set', 'setfields',
  'sichart', 'sirare', 'sistats', 'sitimechart', 'sitop', 'spath', 'strcat', 'streamstats', 'tags', 'tail',
  'timechart', 'timewrap', 'top', 'transaction', 'transpose', 'trendline', 'tscollect', 'typeahead', 'typelearner',
  'typer', 'union', 'uniq', 'untable', 'walklex', 'x11', 'xmlkv', 'xmlunescape', 'xpath', 'xyseries', 'fit',
  'apply', 'summary', 'score', 'sample', 'ut_parse', 'ut_parse_extended', 'ut_shannon', 'ut_levenshtein',
  'ut_bayesian', 'ut_meaning', 'ut_netmask', 'ut_countset', 'ut_suites', 'ut_parse_simple', 'mvcombine',
  'fieldsummary', 'makejson', 'bucket', 'cefout', 'fromjson', 'cyberchef', 'ut_tokenize', 'stats', 'search', 'where', 'eval',
]);
