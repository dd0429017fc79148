/**
 * song_data: one file per track at `song_data/A/B/C/TRABC….json`, written as Python's json.dump
 * wrote the dataset (`": "` and `", "` separators, non-ASCII as `\u00e9`). A few files are
 * pretty-printed, a few hold several songs (one per line, or concatenated on one line), and a few
 * songs are repeated identically in a second file. Every song has exactly one primary file.
 */
import { messyCount, type Catalog, type CatalogSong } from './catalog.ts';
import { trackId } from './names.ts';
import { createRandom } from './random.ts';

export type SongFileStyle = 'line' | 'pretty' | 'lines' | 'concatenated';

export interface SongFile {
  readonly key: string;
  readonly style: SongFileStyle;
  readonly songs: readonly CatalogSong[];
}

export function songKey(track: string): string {
  return `song_data/${track[2]}/${track[3]}/${track[4]}/${track}.json`;
}

/** Which song goes in which file, and how the file is written. Memory ∝ songs. */
export function planSongFiles(seed: number, catalog: Catalog): SongFile[] {
  const rng = createRandom(seed, 'song-files');
  const songs = catalog.songs;
  // Groups are disjoint runs of two or three songs starting at multiples of 3.
  const lineGroups = messyCount(songs.length, 0.004, 6);
  const concatenatedGroups = messyCount(songs.length, 0.001, 6);
  const heads = rng.shuffle(rng.sample(Math.floor(songs.length / 3), lineGroups + concatenatedGroups));
  const groupStyle = new Map<number, SongFileStyle>(
    heads.map((head, i) => [head * 3, i < lineGroups ? 'lines' : 'concatenated']),
  );
  const pretty = new Set(rng.sample(songs.length, messyCount(songs.length, 0.02, 3)));

  const files: SongFile[] = [];
  for (let i = 0; i < songs.length;) {
    const song = songs[i] as CatalogSong;
    const style = groupStyle.get(i);
    if (style) {
      const size = rng.chance(0.5) ? 3 : 2;
      files.push({ key: songKey(song.trackId), style, songs: songs.slice(i, i + size) });
      i += size;
    } else {
      files.push({ key: songKey(song.trackId), style: pretty.has(i) ? 'pretty' : 'line', songs: [song] });
      i += 1;
    }
  }

  // Repeats live under track ids of their own, as the same recording released twice does.
  const tracks = new Set(songs.map((song) => song.trackId));
  for (const i of rng.sample(songs.length, messyCount(songs.length, 0.005, 3))) {
    let track = trackId(rng);
    while (tracks.has(track)) track = trackId(rng);
    tracks.add(track);
    files.push({ key: songKey(track), style: 'line', songs: [songs[i] as CatalogSong] });
  }
  return files;
}

export function songFileBody(file: SongFile): string {
  switch (file.style) {
    case 'line':
      return record(file.songs[0] as CatalogSong, false);
    case 'pretty':
      return record(file.songs[0] as CatalogSong, true);
    case 'lines':
      return file.songs.map((song) => record(song, false)).join('\n') + '\n';
    case 'concatenated':
      return file.songs.map((song) => record(song, false)).join('');
  }
}

/** One song record with the dataset's ten keys, in its order. */
function record(song: CatalogSong, pretty: boolean): string {
  const fields: [string, string | number | null][] = [
    ['num_songs', 1],
    ['artist_id', song.artist.id],
    ['artist_latitude', song.place.latitude],
    ['artist_longitude', song.place.longitude],
    ['artist_location', song.place.location],
    ['artist_name', song.artist.name],
    ['song_id', song.songId],
    ['title', song.title],
    ['duration', song.duration],
    ['year', song.year],
  ];
  const parts = fields.map(([key, value]) => `"${key}": ${pythonJson(value)}`);
  return pretty ? `{\n    ${parts.join(',\n    ')}\n}` : `{${parts.join(', ')}}`;
}

/** JSON as Python's json module writes it by default: non-ASCII escaped. */
function pythonJson(value: string | number | null): string {
  if (typeof value !== 'string') return String(value);
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
