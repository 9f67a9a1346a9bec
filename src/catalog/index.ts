/** The catalog: every rule as a page, its indicators with corpus counts, as a static site. */
export { buildCatalog, slugify, type Catalog, type BuildOptions, type LogSourceRow } from './site.js';
export { writeSite, rulePage, indexPage, attackPage, logSourcesPage, scriptJson } from './pages.js';
export { buildEntry, ruleDocument, type CatalogEntry, type CatalogInput, type Conversion } from './entry.js';
export { extractIndicators, canonicalParts, indicatorKey, indicatorKeys, type Indicator, type IndicatorValue } from './indicators.js';
export { countIndicators, othersCount, formatCount, type KeyCount } from './counts.js';
export { splitSpl, splStages, sigmaStages, stageCommand, type StageText } from './stages.js';
export { attackMatrix, techniquesOf, tacticsOf, TACTICS } from './attack.js';
