/** Made-up names and ids in the shapes of the Million Song Dataset and the Sparkify logs. */
import type { Random } from './random.ts';
import { ADJECTIVES, FEMALE_NAMES, LAST_NAMES, MALE_NAMES, NOUNS, VERBS } from './vocabulary.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function chars(rng: Random, alphabet: string, count: number): string {
  let text = '';
  for (let i = 0; i < count; i += 1) text += alphabet[rng.int(alphabet.length)] ?? '';
  return text;
}

/** `AR`/`SO` + 16 uppercase letters and digits, e.g. SOMZWCG12A8C13C480. */
export function datasetId(rng: Random, prefix: 'AR' | 'SO'): string {
  return prefix + chars(rng, ALPHANUMERICS, 16);
}

/**
 * `TR` + 16 characters, e.g. TRAAAAK128F9318786. Characters 3–5 name the song file's folders, so
 * they are letters, as in the dataset.
 */
export function trackId(rng: Random): string {
  return 'TR' + chars(rng, LETTERS, 3) + chars(rng, ALPHANUMERICS, 13);
}

const IRREGULAR: Readonly<Record<string, string>> = {
  Child: 'Children',
  Wolf: 'Wolves',
  'Déjà Vu': 'Déjà Vu',
};

function plural(noun: string): string {
  const irregular = IRREGULAR[noun];
  if (irregular) return irregular;
  if (/[^aeiou]y$/.test(noun)) return noun.slice(0, -1) + 'ies';
  if (/(s|x|ch|sh)$/.test(noun)) return noun + 'es';
  return noun + 's';
}

export function personName(rng: Random): { first: string; last: string; gender: 'F' | 'M' } {
  const gender = rng.chance(0.5) ? 'F' : 'M';
  const first = rng.pick(gender === 'F' ? FEMALE_NAMES : MALE_NAMES);
  return { first, last: rng.pick(LAST_NAMES), gender };
}

export function artistName(rng: Random): string {
  const adjective = rng.pick(ADJECTIVES);
  const noun = rng.pick(NOUNS);
  switch (rng.int(8)) {
    case 0:
      return `The ${adjective} ${plural(noun)}`;
    case 1:
    case 2: {
      const person = personName(rng);
      return `${person.first} ${person.last}`;
    }
    case 3:
      return `${adjective} ${noun}`;
    case 4:
      return `${personName(rng).first} & The ${plural(noun)}`;
    case 5:
      return `DJ ${adjective} ${noun}`;
    case 6:
      return `${noun} ${rng.pick(NOUNS)}`;
    default:
      return `${rng.pick(LAST_NAMES)} ${adjective} Orchestra`;
  }
}

export function songTitle(rng: Random): string {
  const adjective = rng.pick(ADJECTIVES);
  const noun = rng.pick(NOUNS);
  const verb = rng.pick(VERBS);
  switch (rng.int(10)) {
    case 0:
      return `${adjective} ${noun}`;
    case 1:
      return `${verb} Me`;
    case 2:
      return `${noun} Of The ${rng.pick(NOUNS)}`;
    case 3:
      return `Don't ${verb}`;
    case 4:
      return `I ${verb} You`;
    case 5:
      return `The ${adjective} ${noun}`;
    case 6:
      return `${adjective} ${noun} (Album Version)`;
    case 7:
      return `${verb} Into The ${noun}`;
    case 8:
      return `${noun} (Live)`;
    default:
      return `${adjective} ${plural(noun)}`;
  }
}
