// Person-name matching across feeds that spell names differently (accents, punctuation, suffixes).

/** A spelling-insensitive key: "Nikola Jokić" and "Nikola Jokic", "Jaren Jackson Jr." and "Jaren Jackson" match. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.'’`-]/g, '')
    .replace(/\b(jr|sr|ii|iii|iv|v)\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
