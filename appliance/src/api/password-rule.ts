// The rule for admin passwords: at least 10 characters, not the user name, and not on a list of commonly
// used passwords. Length alone lets "qwertyuiop" and "1234567890" through; those are the first guesses.
//
// The list is the "passwords-common" dictionary of @zxcvbn-ts/language-common (pinned in package.json): the
// most frequent passwords from public breach corpora (~49,000), kept as the data package of zxcvbn-ts, the
// maintained TypeScript successor of Dropbox's zxcvbn. We use the list itself rather than a zxcvbn score
// because a plain rule can be stated to the user in one sentence and checked the same way every time.
// The package is loaded on the first check only (a password change is rare; its ~4 MB stay off the heap
// until then), and only its entries of 10 or more characters are kept: shorter ones fail on length first.

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
export const PASSWORD_RULE = `at least ${MIN_PASSWORD_LENGTH} characters, not the user name, and not a commonly used password`;

let common: Promise<Set<string>> | undefined;

function commonPasswords(): Promise<Set<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) =>
    new Set(dictionary['passwords-common'].filter((p) => p.length >= MIN_PASSWORD_LENGTH).map((p) => p.toLowerCase())));
  return common;
}

/** Why this password breaks the rule (one sentence a user can act on), or undefined when it is fine. */
export async function passwordProblem(password: string, username?: string): Promise<string | undefined> {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must have at least ${MIN_PASSWORD_LENGTH} characters (this one has ${length})`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (username && password.toLowerCase() === username.toLowerCase()) return 'must not be the user name';
  if ((await commonPasswords()).has(password.toLowerCase())) return 'is a commonly used password (it is on public lists of leaked passwords); choose another';
  return undefined;
}
