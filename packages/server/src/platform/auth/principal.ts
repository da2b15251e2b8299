/** Who is calling, resolved once per request from a session or an API token. */
export interface Principal {
  userId: string;
  username: string;
  authMethod: 'session' | 'token';
  /** The session or API token row id. */
  credentialId: string;
  /** Set for sessions: cookie-authenticated mutations must echo it as X-CSRF-Token. */
  csrfToken: string | null;
}
