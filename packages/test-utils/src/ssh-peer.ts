/**
 * The real OpenSSH server `npm test` starts (scripts/peers.mjs, peer `sshd`):
 * its address, user and keys come as OPSLINE_TEST_SSH_* variables. Missing
 * ones fail the test with what to do — never a skip.
 */
export function sshPeerEnv(name: 'HOST' | 'PORT' | 'USER' | 'PASSWORD' | 'KEY_FILE' | 'HOST_KEY_SHA256' | 'ADMIN_USER'): string {
  const value = process.env[`OPSLINE_TEST_SSH_${name}`];
  if (!value) {
    throw new Error(
      `OPSLINE_TEST_SSH_${name} is not set: SSH tests need the real sshd peer. ` +
        'Run them via `npm test` (as root), or start it with `npm run peers -- up sshd` and export the variables it prints.',
    );
  }
  return value;
}
