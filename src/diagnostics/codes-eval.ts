/** Codes of the evaluator and event readers (RB5xx). */
export const EVAL_CODES = {
  RB501: { severity: 'warning', stage: 'eval', summary: 'An event line could not be parsed; it was skipped.' },
  RB502: { severity: 'error', stage: 'eval', summary: 'The event file format was not recognized.' },
  RB503: { severity: 'error', stage: 'eval', summary: 'A rule regex is not supported by the linear-time engine.' },
  RB504: { severity: 'error', stage: 'eval', summary: 'The evaluator does not support a construct of the rule.' },
  RB505: { severity: 'warning', stage: 'eval', summary: 'A limit was reached (line length, group count); input was truncated.' },
  RB506: { severity: 'error', stage: 'eval', summary: 'A lookup table was not found, could not be read, or lacks a column the rule names.' },
  RB507: { severity: 'warning', stage: 'eval', summary: 'iplocation has no geo-IP table here: its fields stay null, so rows that need a location do not match as in Splunk.' },
} as const;
