/** Codes of the SPL frontend: parse (RB2xx) and lower (RB25x). */
export const SPL_CODES = {
  RB201: { severity: 'error', stage: 'parse', summary: 'SPL: a quoted string is not terminated.' },
  RB202: { severity: 'error', stage: 'parse', summary: 'SPL: unexpected token.' },
  RB203: { severity: 'error', stage: 'parse', summary: 'SPL: unknown or unsupported command.' },
  RB204: { severity: 'error', stage: 'parse', summary: 'SPL: unknown macro.' },
  RB205: { severity: 'error', stage: 'parse', summary: 'SPL: macro called with the wrong number of arguments.' },
  RB206: { severity: 'error', stage: 'parse', summary: 'SPL: macro expansion is recursive or too deep.' },
  RB207: { severity: 'error', stage: 'parse', summary: 'SPL: a backquoted macro call is not terminated.' },
  RB208: { severity: 'error', stage: 'parse', summary: 'SPL: unbalanced parentheses or brackets.' },
  RB250: { severity: 'error', stage: 'lower', summary: 'SPL: a construct rulebridge cannot lower to the IR.' },
  RB251: { severity: 'error', stage: 'lower', summary: 'SPL: unknown data model or data model field.' },
  RB252: { severity: 'warning', stage: 'lower', summary: 'SPL: a field has no canonical mapping; kept under its own name.' },
  RB253: { severity: 'error', stage: 'lower', summary: 'SPL: unknown function.' },
  RB254: { severity: 'info', stage: 'lower', summary: 'SPL: a presentation-only command was dropped (it does not change which events match).' },
  RB255: { severity: 'warning', stage: 'lower', summary: 'SPL: a lookup table has no definition in the lookups folders; Splunk\'s default matching (exact, case-sensitive) is assumed.' },
  RB256: { severity: 'error', stage: 'lower', summary: 'SPL: iplocation needs a geo-IP database that the IR does not name.' },
} as const;
