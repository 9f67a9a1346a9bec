/** Small builders for table rows: detection bodies and events. */

/** A detection with one selection `sel` of these item lines (each `Key: value`) and `condition: sel`. */
export function sel(...items: string[]): string {
  return ['    sel:', ...items.map((i) => `        ${i}`), '    condition: sel'].join('\n');
}

/** A detection body given line by line (indented by 4 already). */
export function lines(...ls: string[]): string {
  return ls.join('\n');
}

/** A process_creation event with this command line. */
export const cl = (v: string) => ({ CommandLine: v });
/** A process_creation event with this image path. */
export const img = (v: string) => ({ Image: v });
