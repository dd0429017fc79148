/**
 * The one decision of the test setup, kept free of I/O so it can be tested: given what is missing
 * and whether this machine lets us install it, install it or refuse, naming the packages.
 */

/** A tool the tests need that is not here, and the Debian packages that provide it. */
export interface Missing {
  /** As the setup's lines and messages call it: `chromium`, `OpenStack Swift`. */
  readonly tool: string;
  readonly packages: readonly string[];
}

/** What decides whether the setup may install packages. */
export interface InstallAbility {
  /** DOWNBEAT_TEST_NO_INSTALL=1: a developer's machine, where only they install things. */
  readonly noInstall: boolean;
  readonly root: boolean;
  /** Where apt-get is, if it is on PATH. */
  readonly aptGet: string | undefined;
}

export type SetupPlan =
  | { readonly action: 'none' }
  | { readonly action: 'install'; readonly aptGet: string; readonly missing: readonly Missing[] }
  | { readonly action: 'refuse'; readonly message: string };

export function planSetup(missing: readonly Missing[], ability: InstallAbility): SetupPlan {
  if (missing.length === 0) return { action: 'none' };
  const refuse = (why: string): SetupPlan => ({ action: 'refuse', message: refusal(missing, why) });
  // The most telling reason first: being root does not help without apt-get.
  if (ability.noInstall) return refuse('DOWNBEAT_TEST_NO_INSTALL=1 is set');
  if (ability.aptGet === undefined) return refuse('there is no apt-get here');
  if (!ability.root) return refuse('this is not root');
  return { action: 'install', aptGet: ability.aptGet, missing };
}

/** `cannot set up the tests: chromium is missing and this is not root; install it with: apt-get install -y chromium` */
export function refusal(missing: readonly Missing[], why: string): string {
  const tools = missing.map((m) => m.tool);
  const named =
    tools.length === 1 ? `${tools[0]} is` : `${tools.slice(0, -1).join(', ')} and ${tools.at(-1)} are`;
  const packages = [...new Set(missing.flatMap((m) => m.packages))];
  return (
    `cannot set up the tests: ${named} missing and ${why}; ` +
    `install ${tools.length === 1 ? 'it' : 'them'} with: apt-get install -y ${packages.join(' ')}`
  );
}
