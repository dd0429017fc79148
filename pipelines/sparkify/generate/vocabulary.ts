/**
 * The words the generator builds names from. A few carry accents, so readers of the data must get
 * UTF-8 (and, in song_data, `\u00e9` escapes) right.
 */

export const ADJECTIVES = list(`
  Black | Blue | Broken | Burning | Cold | Crimson | Crystal | Dark | Dead | Deep | Digital |
  Distant | Electric | Empty | Endless | Falling | Fast | Final | Flying | Forgotten | Free |
  Frozen | Golden | Green | Hidden | Holy | Hollow | Honest | Hungry | Invisible | Iron | Last |
  Lazy | Little | Lonely | Lost | Loud | Lucky | Mad | Magic | Midnight | Modern | Naked | Neon |
  New | Old | Pale | Perfect | Purple | Quiet | Radio | Red | Restless | Rolling | Royal | Rusty |
  Sacred | Secret | Silent | Silver | Simple | Slow | Soft | Solid | Strange | Sweet | Tender |
  Velvet | Wild | Wicked | Young | Über | Señor | Blonde | Brave | Cosmic | Desert | Dirty |
  Eternal | Fading | Gentle | Glass | Heavy | Kind | Liquid | Mystic
`);

export const NOUNS = list(`
  Angel | Apple | Arrow | Autumn | Baby | Bird | Blood | Bone | Bridge | Brother | Butterfly |
  Candle | Car | Cat | Child | City | Cloud | Crown | Dance | Dawn | Daydream | Desire | Diamond |
  Dog | Door | Dream | Drum | Echo | Engine | Eye | Fever | Fire | Flower | Fox | Garden | Ghost |
  Girl | Guitar | Heart | Highway | Horse | House | Island | Jungle | King | Kiss | Lady | Light |
  Lion | Machine | Memory | Mirror | Moon | Morning | Mountain | Ocean | Paradise | Planet | Queen |
  Rain | River | Road | Rocket | Rose | Saint | Shadow | Sister | Sky | Smoke | Snake | Soldier |
  Soul | Star | Stone | Storm | Summer | Sun | Thunder | Tiger | Tide | Train | Tree | Valley |
  Voice | Wave | Whisper | Wind | Window | Wolf | World | Café | Niño | Mañana | Señorita | Déjà Vu |
  Heartbeat | Lullaby | Satellite
`);

export const VERBS = list(`
  Believe | Break | Call | Carry | Catch | Chase | Come | Cry | Dance | Dream | Drive | Fall | Feel |
  Fly | Follow | Forget | Give | Hold | Kiss | Leave | Let Go | Love | Move | Need | Remember | Run |
  Save | Shine | Sing | Stay | Take | Talk | Touch | Wait | Wake Up | Walk
`);

export const FEMALE_NAMES = list(`
  Alice | Amber | Anna | Ava | Bella | Brooke | Caroline | Chloe | Claire | Destiny | Elena | Ella |
  Emily | Emma | Grace | Hannah | Isabella | Jacqueline | Jayden | Jessica | Jordyn | Kate |
  Katherine | Kinsley | Layla | Lily | Lucy | Madison | Mia | Molly | Natalie | Olivia | Rylan |
  Sara | Sienna | Sophia | Tegan | Zoe | Aleena | Ayleen | Celeste | Zoé | Mélanie
`);

export const MALE_NAMES = list(`
  Aiden | Alexander | Anthony | Benjamin | Brady | Carter | Chase | Connor | Dylan |
  Elijah | Ethan | Gabriel | Henry | Isaac | Jack | Jacob | James | Jayden | Jordan | Kevin |
  Landon | Liam | Lucas | Matthew | Mohammad | Noah | Oliver | Owen | Ryan | Samuel | Sebastian |
  Theodore | Tucker | Wyatt | Kaleb | Andrés | José
`);

export const LAST_NAMES = list(`
  Adams | Alexander | Allen | Baker | Barnes | Bell | Brooks | Brown | Campbell | Carter | Clark |
  Cole | Collins | Cook | Cooper | Cruz | Davis | Diaz | Edwards | Evans | Fisher | Flores | Foster |
  Garcia | Gonzalez | Gray | Green | Hall | Harris | Hayes | Hernandez | Hill | Howard | Hughes |
  Jackson | James | Jenkins | Johnson | Jones | Kelly | King | Lee | Lewis | Long | Lopez | Martin |
  Martinez | Miller | Mitchell | Moore | Morgan | Morris | Murphy | Nelson | Nguyen | Parker |
  Perez | Peterson | Phillips | Powell | Price | Reed | Richardson | Rivera | Roberts | Robinson |
  Rodriguez | Rogers | Ross | Russell | Sanchez | Sanders | Scott | Smith | Stewart | Sullivan |
  Taylor | Thomas | Thompson | Torres | Turner | Walker | Ward | Watson | White | Williams | Wilson |
  Wood | Wright | Young | Muñoz | Núñez | Schäfer
`);

/** Metro areas as the Sparkify logs spell them. */
export const USER_LOCATIONS = list(`
  San Francisco-Oakland-Hayward, CA | New York-Newark-Jersey City, NY-NJ-PA |
  Los Angeles-Long Beach-Anaheim, CA | Chicago-Naperville-Elgin, IL-IN-WI |
  Atlanta-Sandy Springs-Roswell, GA | Houston-The Woodlands-Sugar Land, TX |
  Lansing-East Lansing, MI | Janesville-Beloit, WI | Waterloo-Cedar Falls, IA |
  Portland-South Portland, ME | Tampa-St. Petersburg-Clearwater, FL | Winston-Salem, NC |
  Red Bluff, CA | Birmingham-Hoover, AL | Detroit-Warren-Dearborn, MI |
  Sacramento--Roseville--Arden-Arcade, CA | Salinas, CA | Seattle-Tacoma-Bellevue, WA |
  San Jose-Sunnyvale-Santa Clara, CA | Phoenix-Mesa-Scottsdale, AZ |
  Dallas-Fort Worth-Arlington, TX | Miami-Fort Lauderdale-West Palm Beach, FL |
  Washington-Arlington-Alexandria, DC-VA-MD-WV | Boston-Cambridge-Newton, MA-NH |
  Philadelphia-Camden-Wilmington, PA-NJ-DE-MD | Minneapolis-St. Paul-Bloomington, MN-WI |
  Denver-Aurora-Lakewood, CO | Nashville-Davidson--Murfreesboro--Franklin, TN | Tucson, AZ |
  Columbia, SC | Eugene, OR | Augusta-Richmond County, GA-SC | Santa Maria-Santa Barbara, CA |
  Marinette, WI-MI | Myrtle Beach-Conway-North Myrtle Beach, SC-NC | Elkhart-Goshen, IN |
  Deltona-Daytona Beach-Ormond Beach, FL | Lake Havasu City-Kingman, AZ | Yuba City, CA |
  Riverside-San Bernardino-Ontario, CA | Palm Bay-Melbourne-Titusville, FL | Klamath Falls, OR
`);

/** Browsers of 2018, as the Sparkify logs record them. */
export const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)',
  'Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4',
  'Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.103 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (Windows NT 6.1; rv:31.0) Gecko/20100101 Firefox/31.0',
];

/** Where artists come from, with the coordinates song_data gives for them. */
export const ARTIST_PLACES: readonly (readonly [location: string, latitude: number, longitude: number])[] = [
  ['Chicago, IL', 41.88415, -87.63241],
  ['London, England', 51.50632, -0.12714],
  ['New York, NY', 40.71455, -74.00712],
  ['Brooklyn, NY', 40.65507, -73.94888],
  ['Los Angeles, CA', 34.05349, -118.24532],
  ['California - LA', 34.05349, -118.24532],
  ['Detroit, MI', 42.33168, -83.04792],
  ['Nashville, TN', 36.16778, -86.77836],
  ['Seattle, WA', 47.60356, -122.32944],
  ['Memphis, TN', 35.14968, -90.04892],
  ['Hamilton, Ohio', 39.39958, -84.56146],
  ['Atlanta, GA', 33.74831, -84.39111],
  ['Austin, TX', 30.26759, -97.74299],
  ['Fort Worth, TX', 32.74863, -97.32925],
  ['New Orleans, LA', 29.95369, -90.07771],
  ['Minneapolis, MN', 44.97903, -93.26493],
  ['Philadelphia, PA', 39.95227, -75.16237],
  ['Berlin, Germany', 52.51607, 13.37698],
  ['Köln, Germany', 50.94165, 6.95505],
  ['Paris, France', 48.85692, 2.34121],
  ['Stockholm, Sweden', 59.33217, 18.06243],
  ['Reykjavík, Iceland', 64.13585, -21.89541],
  ['Dublin, Ireland', 53.34376, -6.24953],
  ['Toronto, Ontario, Canada', 43.64856, -79.38533],
  ['Montréal, Québec, Canada', 45.51228, -73.55439],
  ['Kingston, Jamaica', 17.99702, -76.79358],
  ['São Paulo, Brazil', -23.56287, -46.65471],
  ['Bogotá, Colombia', 4.59805, -74.07582],
  ['Sydney, Australia', -33.86963, 151.20695],
  ['Tokyo, Japan', 35.68344, 139.80942],
  ['Hollywood, FL', 26.01144, -80.14958],
  ['Englewood, NJ', 40.89293, -73.97258],
  ['Dubai UAE', 25.26739, 55.29249],
  ['Bab el Oued, Algérie', 36.79027, 3.05054],
];

/** Bands named by a number: song_data gives the name as a JSON number, the logs as text. */
export const NUMBER_NAMES = [112, 311, 702, 1349, 808, 999, 666, 54, 98, 2001] as const;

/** Splits a `|`-separated word list (one string keeps the lists readable and short). */
function list(text: string): readonly string[] {
  return text
    .split('|')
    .map((word) => word.trim())
    .filter((word) => word.length > 0);
}
