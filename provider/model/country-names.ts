/**
 * A country's ISO code from its name in any language ICU knows ("Deutschland", "Allemagne",
 * "Vereinigtes Königreich", "España", "Россия"), for the "did you mean" hint of a `country`
 * field. Names come from `Intl.DisplayNames` (Node's full ICU: every locale it has, long and
 * short forms); a few everyday names CLDR does not list as names of a country ("Great
 * Britain", "England", "USA") are added by hand. Matching ignores case, accents, spaces and
 * punctuation. Built lazily, on the first unknown country only.
 */
import { ISO_COUNTRIES } from './countries.js';

/** Everyday names that are not CLDR display names of the country they mean. */
const EVERYDAY_NAMES: Readonly<Record<string, string>> = {
  greatbritain: 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  northernireland: 'GB',
  usa: 'US',
  america: 'US',
  unitedstatesofamerica: 'US',
};

/** Languages tried first (most partners' names are in one of these); all others only on a miss. */
const FIRST_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'hu', 'ro', 'tr', 'ru', 'ja', 'zh', 'ko', 'ar'];

/** `Großbritannien` → `grossbritannien`: lower case, no accents, letters and digits only. */
export function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss').replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Every two-letter language ICU has region names for, except those tried first. */
function otherLanguages(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const all = [...letters].flatMap((a) => [...letters].map((b) => a + b));
  return Intl.DisplayNames.supportedLocalesOf(all).filter((l) => !FIRST_LANGUAGES.includes(l));
}

/** name key → codes it names (a name of two countries in different languages names both). */
type NameIndex = Map<string, Set<string>>;

function index(languages: readonly string[]): NameIndex {
  const out: NameIndex = new Map();
  for (const language of languages) {
    for (const style of ['long', 'short'] as const) {
      const names = new Intl.DisplayNames([language], { type: 'region', style, fallback: 'none' });
      for (const code of ISO_COUNTRIES) {
        const name = names.of(code);
        if (!name) continue;
        const key = nameKey(name);
        const codes = out.get(key) ?? new Set<string>();
        codes.add(code);
        out.set(key, codes);
      }
    }
  }
  return out;
}

let first: NameIndex | undefined;
let rest: NameIndex | undefined;

function only(codes: Set<string> | undefined): string | undefined {
  return codes?.size === 1 ? [...codes][0] : undefined;
}

/** The ISO 3166 alpha-2 code a country name means, when exactly one country has that name. */
export function countryFromName(name: string): string | undefined {
  const key = nameKey(name);
  if (key === '') return undefined;
  const everyday = EVERYDAY_NAMES[key];
  if (everyday) return everyday;
  first ??= index(FIRST_LANGUAGES);
  if (first.has(key)) return only(first.get(key));
  rest ??= index(otherLanguages());
  return only(rest.get(key));
}
