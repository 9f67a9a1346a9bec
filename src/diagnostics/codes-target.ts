/** Codes of the capability check and the renderers (RB4xx). */
export const TARGET_CODES = {
  RB401: { severity: 'error', stage: 'check', summary: 'The target cannot express a feature the rule uses.' },
  RB402: { severity: 'error', stage: 'check', summary: 'The target has no table or index for the rule\'s log source.' },
  RB403: { severity: 'error', stage: 'check', summary: 'The target has no field for a field the rule matches on.' },
  RB404: { severity: 'warning', stage: 'check', summary: 'A rewrite for the target is close but not exact.' },
  RB405: { severity: 'warning', stage: 'check', summary: 'A field the rule only groups by or shows has no column in the target; it is rendered as a constant.' },
  RB410: { severity: 'error', stage: 'render', summary: 'The template failed to render.' },
  RB411: { severity: 'error', stage: 'render', summary: 'Unknown target.' },
  RB412: { severity: 'error', stage: 'render', summary: 'Unknown bundled wrapper, or a wrapper that does not hold the target\'s query (sentinel: kql, elastic: eql, savedsearches: spl).' },
  RB413: { severity: 'error', stage: 'render', summary: 'A user\'s mapping file (--mapping) is not a readable .json file holding a JSON object.' },
  RB430: { severity: 'error', stage: 'render', summary: 'A rule value cannot be written for the target operator (a non-numeric bound, an invalid CIDR network, a regex or time format the target cannot reproduce).' },
  RB431: { severity: 'info', stage: 'render', summary: 'An assignment over a field that does not exist is left out, as the source language treats it as a no-op.' },
  RB432: { severity: 'warning', stage: 'render', summary: 'A condition on a field the rows do not hold at that point (after an aggregate, a table or a join of known columns) is rendered as its value for a missing field (false; true for a test of absence), as the source reads the field as null.' },
} as const;
