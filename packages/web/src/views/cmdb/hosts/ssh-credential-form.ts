import { SetSshCredentialBody, type SshCredentialView } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';

export type SshAuthMethod = SshCredentialView['authMethod'];

/** The SSH credential form; the secrets start empty every time (the server never gives them back). */
export interface SshCredentialModel {
  username: string;
  port: number | null;
  address: string;
  method: SshAuthMethod;
  password: string;
  privateKey: string;
  passphrase: string;
  hostKeySha256: string;
}

const DEFAULT_PORT = 22;

/** Filled from the credential being replaced (all but its secret), or empty. */
export const sshCredentialModel = (current: SshCredentialView | null): SshCredentialModel => ({
  username: current?.username ?? '',
  port: current?.port ?? DEFAULT_PORT,
  address: current?.address ?? '',
  method: current?.authMethod ?? 'password',
  password: '',
  privateKey: '',
  passphrase: '',
  hostKeySha256: current?.hostKeySha256 ?? '',
});

/** A public key pasted by mistake is the usual slip: ask for the private one. */
const privateKeyRule = (): FormItemRule => ({
  trigger: ['blur'],
  validator: (_rule, value: string) =>
    value.trim() === '' || /PRIVATE KEY-----|^PuTTY-User-Key-File/m.test(value) ? true : new Error(i18n.global.t('sshCredential.keyFormat')),
});

export function sshCredentialRules(): FormRules {
  const { shape } = SetSshCredentialBody;
  return {
    username: schemaRule(shape.username, { required: true, formatKey: 'sshCredential.usernameFormat' }),
    port: schemaRule(shape.port, { required: true }),
    address: schemaRule(shape.address),
    password: schemaRule(shape.password, { required: true }),
    privateKey: [schemaRule(shape.privateKey, { required: true }), privateKeyRule()],
    passphrase: schemaRule(shape.passphrase),
    hostKeySha256: schemaRule(shape.hostKeySha256, { formatKey: 'sshCredential.hostKeyFormat' }),
  };
}

/** Exactly one secret goes, the one of the method chosen. */
export function sshCredentialBody(m: SshCredentialModel): SetSshCredentialBody {
  const secret = m.method === 'password' ? { password: m.password } : { privateKey: m.privateKey, passphrase: m.passphrase || undefined };
  return {
    username: m.username.trim(),
    port: m.port ?? DEFAULT_PORT,
    address: m.address.trim() || undefined,
    ...secret,
    hostKeySha256: m.hostKeySha256.trim() || undefined,
  };
}

/** `ops@10.0.0.5:22` (`ops@[fd00::5]:22`); a credential without an address dials the host's first IP. */
export function sshTarget(c: SshCredentialView, ips: readonly string[]): string {
  const address = c.address ?? ips[0] ?? '?';
  return `${c.username}@${address.includes(':') ? `[${address}]` : address}:${c.port}`;
}
