/** A text as a regular expression that matches exactly it (in RE2, as Prometheus and the collector use, and JavaScript). */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regular expression matching exactly one of these texts (Prometheus anchors label regexes whole). */
export const oneOf = (texts: readonly string[]): string => texts.map(escapeRegex).join('|');
