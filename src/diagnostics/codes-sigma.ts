/** Codes of the Sigma frontend: parse (RB3xx) and lower (RB35x). */
export const SIGMA_CODES = {
  RB301: { severity: 'error', stage: 'parse', summary: 'Sigma: the condition does not parse.' },
  RB302: { severity: 'error', stage: 'parse', summary: 'Sigma: the condition names an unknown search identifier.' },
  RB303: { severity: 'error', stage: 'parse', summary: 'Sigma: unknown or unsupported value modifier.' },
  RB304: { severity: 'error', stage: 'parse', summary: 'Sigma: modifiers that cannot be combined.' },
  RB305: { severity: 'error', stage: 'parse', summary: 'Sigma: a detection item has a value of the wrong type.' },
  RB306: { severity: 'error', stage: 'parse', summary: 'Sigma: a pattern (`1 of x*`) matches no search identifier.' },
  RB350: { severity: 'error', stage: 'lower', summary: 'Sigma: a construct rulebridge cannot lower to the IR.' },
  RB351: { severity: 'error', stage: 'lower', summary: 'Sigma: a correlation or filter names a rule that is not loaded.' },
  RB352: { severity: 'error', stage: 'lower', summary: 'Sigma: an `expand` placeholder has no value.' },
  RB353: { severity: 'warning', stage: 'lower', summary: 'Sigma: a field has no canonical mapping for this log source; kept under its own name.' },
} as const;
