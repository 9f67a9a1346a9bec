/** Paths tests share: the repository, its bundled rules, and the shared corpora (may be absent). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const RULES = resolve(REPO, 'rules');
export const SHARED = resolve(REPO, '..', 'shared');
export const CORPUS = resolve(SHARED, 'corpus');
/** True when ../shared/corpus is present; corpus tests skip (saying so) when it is not. */
export const HAS_CORPUS = existsSync(CORPUS);
export const HAS_SHARED_REFERENCE = existsSync(resolve(SHARED, 'reference'));

/** Logs why a corpus test is skipped. */
export function skipNote(what: string): void {
  if (!HAS_CORPUS) console.warn(`skipped ${what}: ../shared/corpus is absent`);
}
