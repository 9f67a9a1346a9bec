/** Helpers of the stages whose fields depend on the row or on a database (nodes.ts). */
import type { IpLocation } from './nodes.js';

/** The fields an iplocation stage writes, with its prefix (Search Reference, iplocation). */
export function iplocationFields(s: Pick<IpLocation, 'prefix' | 'allFields'>): string[] {
  return ['City', 'Country', 'Region', 'lat', 'lon', ...(s.allFields ? ['Continent', 'MetroCode', 'Timezone'] : [])].map((f) => s.prefix + f);
}
