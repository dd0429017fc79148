/**
 * One log_data line, written as the Sparkify app wrote them: compact JSON, the 18 keys in
 * alphabetical order, `/` escaped as `\/`. Lines are built by concatenating pieces rendered once
 * per user, song and page, which is what makes millions of events a second possible.
 */

/** A string as JSON in the logs' style. */
export function logJson(text: string): string {
  return JSON.stringify(text).replaceAll('/', '\\/');
}

export interface Page {
  readonly name: string;
  /** `"method":"PUT","page":"NextSong",` */
  readonly fragment: string;
  readonly status: number;
}

function page(name: string, method: 'GET' | 'PUT', status: number): Page {
  return { name, fragment: `"method":"${method}","page":${logJson(name)},`, status };
}

export const PAGES = {
  nextSong: page('NextSong', 'PUT', 200),
  home: page('Home', 'GET', 200),
  login: page('Login', 'PUT', 307),
  logout: page('Logout', 'PUT', 307),
  settings: page('Settings', 'GET', 200),
  saveSettings: page('Save Settings', 'PUT', 307),
  about: page('About', 'GET', 200),
  help: page('Help', 'GET', 200),
  upgrade: page('Upgrade', 'GET', 200),
  downgrade: page('Downgrade', 'GET', 200),
  submitUpgrade: page('Submit Upgrade', 'PUT', 307),
  submitDowngrade: page('Submit Downgrade', 'PUT', 307),
  error: page('Error', 'GET', 404),
} as const;

/** Who an event is about, rendered: a user's fields, or the nulls of a logged-out visitor. */
export interface Who {
  /** `"firstName":"Ryan","gender":"M",` */
  readonly firstGender: string;
  readonly lastName: string;
  readonly location: string;
  readonly registration: string;
  /** `"userAgent":…,"userId":"26"}`: the last two keys close the line. */
  readonly tail: string;
}

export const LOGGED_OUT: Who = {
  firstGender: '"firstName":null,"gender":null,',
  lastName: '"lastName":null,',
  location: '"location":null,',
  registration: '"registration":null,',
  tail: '"userAgent":null,"userId":""}',
};

export interface UserFields {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly gender: 'F' | 'M';
  readonly location: string;
  readonly userAgent: string;
  /** Epoch milliseconds; written as a float (`1540919166796.0`), as in the dataset. */
  readonly registration: number;
}

export function renderWho(user: UserFields): Who {
  return {
    firstGender: `"firstName":${logJson(user.firstName)},"gender":"${user.gender}",`,
    lastName: `"lastName":${logJson(user.lastName)},`,
    location: `"location":${logJson(user.location)},`,
    registration: `"registration":${user.registration}.0,`,
    tail: `"userAgent":${logJson(user.userAgent)},"userId":${logJson(user.id)}}`,
  };
}

/** The play's fields for a NextSong event; nulls otherwise. */
export interface PlayFields {
  readonly artistJson: string;
  readonly songJson: string;
  readonly lengthText: string;
}

export const NO_PLAY: PlayFields = { artistJson: 'null', songJson: 'null', lengthText: 'null' };

export function eventLine(
  play: PlayFields,
  loggedIn: boolean,
  who: Who,
  itemInSession: number,
  level: 'free' | 'paid',
  page: Page,
  sessionId: number,
  ts: number,
): string {
  return (
    '{"artist":' +
    play.artistJson +
    (loggedIn ? ',"auth":"Logged In",' : ',"auth":"Logged Out",') +
    who.firstGender +
    '"itemInSession":' +
    itemInSession +
    ',' +
    who.lastName +
    '"length":' +
    play.lengthText +
    ',"level":"' +
    level +
    '",' +
    who.location +
    page.fragment +
    who.registration +
    '"sessionId":' +
    sessionId +
    ',"song":' +
    play.songJson +
    ',"status":' +
    page.status +
    ',"ts":' +
    ts +
    ',' +
    who.tail
  );
}
