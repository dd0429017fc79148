/**
 * The song catalog that song_data describes: artists and their songs, with the dataset's valid
 * messiness (DESIGN §6) spread over a small, deterministic share of them.
 */
import { artistName, datasetId, songTitle, trackId } from './names.ts';
import { createRandom, type Random } from './random.ts';
import { ARTIST_PLACES, NUMBER_NAMES } from './vocabulary.ts';

export interface ArtistPlace {
  readonly location: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export interface Artist {
  readonly id: string;
  /** A number for a band named by one (song_data writes it as a JSON number). */
  readonly name: string | number;
  readonly place: ArtistPlace;
}

export interface CatalogSong {
  readonly trackId: string;
  readonly songId: string;
  readonly title: string;
  /** Seconds, with at most five decimals, as in the dataset. */
  readonly duration: number;
  /** 0 when unknown. */
  readonly year: number;
  readonly artist: Artist;
  /** The artist's place as this song's record gives it: it differs for an artist the catalog disagrees on. */
  readonly place: ArtistPlace;
}

export interface Catalog {
  readonly artists: readonly Artist[];
  readonly songs: readonly CatalogSong[];
}

/** How many of `total` get a kind of messiness: `share` of them, and at least one when there are `atLeastOneFrom`. */
export function messyCount(total: number, share: number, atLeastOneFrom: number): number {
  const count = Math.round(total * share);
  return total >= atLeastOneFrom ? Math.max(1, count) : count;
}

export function createCatalog(seed: number, songCount: number): Catalog {
  const rng = createRandom(seed, 'catalog');
  const artists = createArtists(rng, Math.max(1, Math.round(songCount / 4)));

  // Every artist gets a song; of the rest, half go to anyone and half mostly to a few prolific ones.
  const artistOf = Array.from({ length: songCount }, (_, i) =>
    i < artists.length ? i : rng.chance(0.5) ? rng.int(artists.length) : rng.skewed(artists.length),
  );
  const songIds = new Set<string>();
  const trackIds = new Set<string>();
  const unknownYear = new Set(rng.sample(songCount, messyCount(songCount, 0.15, 2)));
  const songs = artistOf.map((artistIndex, i): CatalogSong => {
    const artist = artists[artistIndex] as Artist;
    return {
      trackId: unique(trackIds, () => trackId(rng)),
      songId: unique(songIds, () => datasetId(rng, 'SO')),
      title: songTitle(rng),
      duration: duration(rng),
      year: unknownYear.has(i) ? 0 : 2010 - Math.floor(50 * rng.next() ** 2),
      artist,
      place: artist.place,
    };
  });
  return { artists, songs: disagreeOnSomeArtists(rng, songs) };
}

function createArtists(rng: Random, count: number): Artist[] {
  // Among the first artists, whose first songs are the most played: their plays must be in the logs.
  const numbered = new Set(
    rng.sample(Math.min(count, 10), Math.min(NUMBER_NAMES.length, messyCount(count, 0.004, 4))),
  );
  const noCoordinates = new Set(rng.sample(count, messyCount(count, 0.15, 4)));
  const noLocation = new Set(rng.sample(count, messyCount(count, 0.1, 4)));
  const ids = new Set<string>();
  const names = new Set<string>();
  let nextNumber = 0;
  return Array.from({ length: count }, (_, i): Artist => {
    const [location, latitude, longitude] = rng.pick(ARTIST_PLACES);
    const name = numbered.has(i) ? (NUMBER_NAMES[nextNumber++] as number) : uniqueName(rng, names);
    names.add(String(name));
    return {
      id: unique(ids, () => datasetId(rng, 'AR')),
      name,
      place: {
        location: noLocation.has(i) ? '' : location,
        latitude: noCoordinates.has(i) ? null : latitude,
        longitude: noCoordinates.has(i) ? null : longitude,
      },
    };
  });
}

/** Gives a few artists with two or more songs a different place in one of their later songs. */
function disagreeOnSomeArtists(rng: Random, songs: CatalogSong[]): CatalogSong[] {
  const firstSong = new Map<Artist, number>();
  const laterSong = new Map<Artist, number>();
  songs.forEach((song, i) => {
    if (!firstSong.has(song.artist)) firstSong.set(song.artist, i);
    else if (!laterSong.has(song.artist)) laterSong.set(song.artist, i);
  });
  const candidates = [...laterSong.values()];
  for (const pick of rng.sample(candidates.length, messyCount(candidates.length, 0.01, 1))) {
    const index = candidates[pick] as number;
    const song = songs[index] as CatalogSong;
    let place = rng.pick(ARTIST_PLACES);
    while (place[0] === song.artist.place.location) place = rng.pick(ARTIST_PLACES);
    songs[index] = { ...song, place: { location: place[0], latitude: place[1], longitude: place[2] } };
  }
  return songs;
}

/** Mostly three to five minutes, some short, a few long; never a whole number, like the dataset. */
export function duration(rng: Random): number {
  const u = rng.next();
  const seconds =
    u < 0.04
      ? 30 + 90 * rng.next()
      : u < 0.95
        ? 150 + 60 * (rng.next() + rng.next() + rng.next())
        : 330 + 270 * rng.next();
  const hundredThousandths = Math.round(seconds * 100_000);
  return (hundredThousandths % 100_000 === 0 ? hundredThousandths + 1 : hundredThousandths) / 100_000;
}

/** A name not in `taken` (which it joins). */
export function uniqueName(
  rng: Random,
  taken: Set<string>,
  make: (rng: Random) => string = artistName,
): string {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const name = make(rng);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  // Huge catalogs exhaust the word combinations: number the repeats, as bands sometimes do.
  const base = make(rng);
  for (let n = 2; ; n += 1) {
    const name = `${base} ${n}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

function unique(taken: Set<string>, make: () => string): string {
  for (;;) {
    const value = make();
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
}
