/** Codes of the load and validate stages (RB1xx), and of the CLI (RB9xx). */
export const SOURCE_CODES = {
  RB101: { severity: 'error', stage: 'load', summary: 'The file could not be read.' },
  RB102: { severity: 'error', stage: 'load', summary: 'The YAML is not well formed.' },
  RB103: { severity: 'error', stage: 'load', summary: 'The file is not a rule of a known format.' },
  RB104: { severity: 'error', stage: 'load', summary: 'The document is too large, too deep or uses too many aliases.' },
  RB105: { severity: 'warning', stage: 'load', summary: 'A YAML warning (duplicate key, odd tag, ...).' },
  RB110: { severity: 'error', stage: 'validate', summary: 'The rule violates its JSON Schema.' },
  RB111: { severity: 'warning', stage: 'validate', summary: 'The rule has a field its schema does not know.' },
  RB901: { severity: 'error', stage: 'cli', summary: 'A path given on the command line does not exist or cannot be read.' },
  RB902: { severity: 'error', stage: 'cli', summary: 'An option given on the command line is not valid.' },
  RB903: { severity: 'error', stage: 'cli', summary: 'An output file could not be written; nothing was left half-written.' },
} as const;
