// The web shell's pure parts: translations, language choice, the map.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from './locales/en.ts';
import { es } from './locales/es.ts';
import { pickLocale, translator } from './i18n.ts';
import { switchLanguageHref } from './layout.tsx';
import { californiaMap } from './california-map.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function placeholders(obj: object): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of keys(obj)) {
    const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
    out[key] = [...String(value).matchAll(/{{(\w+)}}/g)].map((m) => m[1] ?? '').sort();
  }
  return out;
}

describe('translations', () => {
  test('Spanish has every English key and the same placeholders', () => {
    assert.deepEqual(keys(es).sort(), keys(en).sort());
    assert.deepEqual(placeholders(es), placeholders(en));
  });

  test('no Spanish string is left in English', () => {
    const same = keys(en).filter((k) => {
      const get = (o: object) => k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o);
      // Words both languages write alike: API, the acronyms, "No" and "Normal".
      return get(en) === get(es) && !/^(nav\.api|systems\.short\.(SMHS|DMC_ODS)|certification\.portal\.fields\.no|enforcement\.priority\.normal)$/.test(k);
    });
    assert.deepEqual(same, []);
  });

  test('the language comes from the query, then the cookie, then the browser', () => {
    assert.equal(pickLocale('es', 'en', 'en-US'), 'es');
    assert.equal(pickLocale(undefined, 'es', 'en-US'), 'es');
    assert.equal(pickLocale(undefined, undefined, 'es-MX,es;q=0.9'), 'es');
    assert.equal(pickLocale('fr', 'de', 'fr-FR'), 'en');
    assert.equal(pickLocale(undefined, undefined, 'es;q=0.1, en;q=0.9'), 'en', 'quality values rank the languages');
    assert.equal(pickLocale(undefined, undefined, 'fr, es-MX;q=0.5'), 'es');
    assert.equal(pickLocale(undefined, undefined, 'es;q=0, en'), 'en');
    assert.equal(pickLocale(undefined, undefined, 'eso'), 'en', 'a language code is compared whole');
    assert.equal(translator('es')('nav.counties'), 'Condados');
  });

  test('the language switch keeps the page and its query', () => {
    assert.equal(switchLanguageHref('/counties?asOf=2025-02-01', 'es'), '/counties?asOf=2025-02-01&lang=es');
    assert.equal(switchLanguageHref('/counties?lang=es', 'en'), '/counties?lang=en');
  });
});

describe('the California map', () => {
  test('has one shape for each of the 58 counties, with the same FIPS codes and names as the reference list', () => {
    const map = californiaMap();
    assert.deepEqual(
      map.counties.map((c) => [c.fips, c.name]),
      CALIFORNIA_COUNTIES.map((c) => [c.fips, c.name]),
    );
    for (const c of map.counties) assert.match(c.d, /^M[\d.,-]+/, `${c.name} has a path`);
  });

  test('fits the drawing area', () => {
    const map = californiaMap();
    const numbers = map.counties.flatMap((c) => [...c.d.matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0])));
    assert.ok(Math.min(...numbers) >= -1);
    assert.ok(Math.max(...numbers) <= Math.max(map.width, map.height) + 1);
  });
});
