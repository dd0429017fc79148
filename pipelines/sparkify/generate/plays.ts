/**
 * What a NextSong event can play: the catalog's songs, and songs outside the catalog that match
 * none of them (most plays in the real logs are of songs song_data does not hold).
 */
import { duration, messyCount, uniqueName, type Catalog } from './catalog.ts';
import { logJson } from './event-line.ts';
import { artistName, songTitle } from './names.ts';
import { createRandom } from './random.ts';

/** A song as a log line spells it, rendered once so that each event only concatenates. */
export interface Play {
  /** `"artist"` as JSON text: a band named 112 is `"112"`, a string. */
  readonly artistJson: string;
  readonly songJson: string;
  /** The duration as JSON writes it, so that `length` parses to exactly the catalog's `duration`. */
  readonly lengthText: string;
  readonly durationMs: number;
}

export function catalogPlays(catalog: Catalog): Play[] {
  return catalog.songs.map((song) => ({
    artistJson: logJson(String(song.artist.name)),
    songJson: logJson(song.title),
    lengthText: String(song.duration),
    durationMs: Math.round(song.duration * 1000),
  }));
}

/**
 * Songs by artists whose names the catalog does not use, so a play of one matches no catalog song
 * by (title, artist, duration) whatever its title and length.
 */
export function outsidePlays(seed: number, catalog: Catalog): Play[] {
  const rng = createRandom(seed, 'outside-songs');
  const count = Math.max(200, Math.min(3 * catalog.songs.length, 100_000));
  const taken = new Set(catalog.artists.map((artist) => String(artist.name)));
  const artists = Array.from({ length: messyCount(count, 0.3, 1) }, () => uniqueName(rng, taken, artistName));
  return Array.from({ length: count }, (): Play => {
    const seconds = duration(rng);
    return {
      artistJson: logJson(rng.pick(artists)),
      songJson: logJson(songTitle(rng)),
      lengthText: String(seconds),
      durationMs: Math.round(seconds * 1000),
    };
  });
}
