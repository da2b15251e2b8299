/**
 * Quoting for the POSIX shell on the far side of an SSH exec: the SSH
 * protocol carries one command string, never an argv, so every value that
 * reaches a remote command goes through here.
 */

/**
 * One shell word that the shell reads back as exactly `word`: inside single
 * quotes nothing is special (`$`, `` ` ``, `\`, `;`, newlines), and a `'`
 * is written as `'\''` (close, escaped quote, reopen). Always quoted, even
 * when it would not need to be: one rule is easier to trust than two.
 * A NUL cannot be part of any argv or environment string, so it is refused.
 */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new TypeError('a shell word cannot contain a NUL character');
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Words joined into one command line, each quoted. */
export function shellWords(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * `sh -c <script> sh <args…>`, optionally under `sudo -n -H -u <user> --`.
 * `script` is one of our constant scripts; values reach it only as `$1…`,
 * so no user input is ever part of shell code. Going through `sh -c` also
 * makes the command independent of the account's login shell.
 */
export function shCommand(script: string, args: readonly string[] = [], sudoUser?: string): string {
  return shellWords([...sudoWords(sudoUser), 'sh', '-c', script, 'sh', ...args]);
}

/**
 * The words that run a command as `user`, none without one. -n: fail at once
 * rather than wait for a password nobody can type; -H: the user's own HOME.
 */
export function sudoWords(user: string | undefined): string[] {
  return user === undefined ? [] : ['sudo', '-n', '-H', '-u', user, '--'];
}
