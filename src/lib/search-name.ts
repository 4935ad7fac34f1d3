// Names folded for the registry's forgiving search: accents dropped, case ignored. The database keeps the folded
// legal name in peers.search_name (a generated column with a trigram index); searches fold the words typed the same
// way. Hyphens, apostrophes and name order need nothing here: pg_trgm splits words at them and compares word sets.

const ACCENTED = 'ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçÝýÿ';
const PLAIN = 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuNnCcYyy';

/** The generated column's expression (immutable, as PostgreSQL requires): the legal name, accents folded, lower case. */
export const SEARCH_NAME_SQL = `lower(translate(legal_first_name || ' ' || coalesce(legal_middle_name, '') || ' ' || legal_last_name, '${ACCENTED}', '${PLAIN}'))`;

/** Fold what someone typed as the column folds a name (and any other accent), with spacing made even. */
export function foldSearchName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
