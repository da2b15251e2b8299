/**
 * The error-code registry: every error the API answers with has a code here,
 * with its HTTP status. Services throw `AppError(code)`; one handler on the
 * server turns it into `{error: {code, message, details?}}`.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is not valid; start again without it' },
  AUTH_REQUIRED: { status: 401, message: 'Sign in first, or send a bearer token' },
  AUTH_INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password' },
  AUTH_SESSION_EXPIRED: { status: 401, message: 'The session has expired; sign in again' },
  AUTH_TOKEN_INVALID: { status: 401, message: 'The token is unknown, revoked or expired' },
  AUTH_WRONG_PASSWORD: { status: 400, message: 'The current password is wrong' },
  AUTH_USER_DISABLED: { status: 403, message: 'This account is disabled; ask an administrator' },
  CSRF_REJECTED: { status: 403, message: 'Cross-site request refused: send the X-CSRF-Token header of your session' },
  FORBIDDEN: { status: 403, message: 'You lack the permission for this action' },
  AUTH_ACCOUNT_LOCKED: { status: 423, message: 'Too many failed sign-ins; the account is locked for a while' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down and retry later' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such API route' },
  USER_NOT_FOUND: { status: 404, message: 'No such user' },
  USER_EXISTS: { status: 409, message: 'A user with this username already exists' },
  USER_SELF_DELETE: { status: 409, message: 'You cannot delete or disable your own account' },
  LAST_ADMIN: { status: 409, message: 'This is the last active administrator; grant admin to someone else first' },
  TEAM_NOT_FOUND: { status: 404, message: 'No such team' },
  TEAM_EXISTS: { status: 409, message: 'A team with this name already exists' },
  ROLE_NOT_FOUND: { status: 404, message: 'No such role' },
  ROLE_EXISTS: { status: 409, message: 'A role with this name already exists' },
  ROLE_BUILTIN: { status: 409, message: 'Built-in roles cannot be changed or deleted' },
  ROLE_IN_USE: { status: 409, message: 'The role is still granted; revoke its grants first' },
  GRANT_NOT_FOUND: { status: 404, message: 'No such grant' },
  GRANT_EXISTS: { status: 409, message: 'This grant already exists' },
  TOKEN_NOT_FOUND: { status: 404, message: 'No such API token' },
  SECRET_NOT_FOUND: { status: 404, message: 'No such secret' },
  SECRET_EXISTS: { status: 409, message: 'A secret with this name already exists' },
  TREE_NODE_NOT_FOUND: { status: 404, message: 'No such tree node' },
  TREE_NODE_EXISTS: { status: 409, message: 'A sibling node already has this name' },
  TREE_NODE_NOT_EMPTY: { status: 409, message: 'The node has children or bound resources; delete them first or delete with cascade' },
  TREE_NODE_IS_LEAF: { status: 409, message: 'A leaf node cannot have children' },
  TREE_MOVE_CYCLE: { status: 409, message: 'A node cannot move under itself or one of its descendants' },
  HOST_NOT_FOUND: { status: 404, message: 'No such host' },
  HOST_EXISTS: { status: 409, message: 'A host with this hostname already exists' },
  HOST_BIND_NOT_LEAF: { status: 409, message: 'Hosts bind to leaf nodes only' },
  CSV_INVALID: { status: 400, message: 'The CSV cannot be read; check the header and quoting' },
  APP_NOT_FOUND: { status: 404, message: 'No such app' },
  APP_EXISTS: { status: 409, message: 'An app with this name already exists on that node' },
  ENROLLMENT_TOKEN_NOT_FOUND: { status: 404, message: 'No such enrollment token' },
  AGENT_NOT_FOUND: { status: 404, message: 'No such agent' },
  AGENT_REVOKED: { status: 409, message: 'The agent is revoked' },
  EXEC_TASK_NOT_FOUND: { status: 404, message: 'No such task' },
  EXEC_RUN_NOT_FOUND: { status: 404, message: 'No such run' },
  EXEC_NO_EXECUTOR: { status: 409, message: 'The host has no agent and no SSH credential: install the agent or set a credential' },
  SCRIPT_NOT_FOUND: { status: 404, message: 'No such script' },
  SCRIPT_NAME_TAKEN: { status: 409, message: 'A script with this name already exists' },
  SCRIPT_VERSION_NOT_FOUND: { status: 404, message: 'The script has no such version' },
  GUARD_RULE_NOT_FOUND: { status: 404, message: 'No such guard rule' },
  GUARD_RULE_BUILTIN: { status: 409, message: 'A built-in guard rule can be enabled or disabled, not changed or deleted' },
  JOB_TEMPLATE_NOT_FOUND: { status: 404, message: 'No such job template' },
  JOB_RUN_NOT_FOUND: { status: 404, message: 'No such job run' },
  JOB_RUN_HOST_NOT_FOUND: { status: 404, message: 'The run has no such host' },
  JOB_NO_HOSTS: { status: 400, message: 'The targets resolve to no host' },
  JOB_RUN_STATE: { status: 409, message: 'The run cannot do that in its current state' },
  SCHEDULE_NOT_FOUND: { status: 404, message: 'No such schedule' },
  WORKFLOW_NOT_FOUND: { status: 404, message: 'No such workflow' },
  WORKFLOW_RUN_NOT_FOUND: { status: 404, message: 'No such workflow run' },
  WORKFLOW_RUN_STATE: { status: 409, message: 'The workflow run cannot do that in its current state' },
  WORKFLOW_NOT_APPROVER: { status: 403, message: 'You are not one of the approvers this step names' },
  NOTIFY_CHANNEL_NOT_FOUND: { status: 404, message: 'No such notification channel' },
  NOTIFY_DELIVERY_NOT_FOUND: { status: 404, message: 'No such notification' },
  NOTIFY_TARGET_REFUSED: { status: 400, message: 'Notifications may not go to that address (the outbound policy or the cloud metadata rule refuses it)' },
  JOB_ALERT_NOT_FOUND: { status: 404, message: 'No such job alert' },
  GUARD_BLOCKED: { status: 403, message: 'The script matches a dangerous-command rule that blocks it' },
  GUARD_SELF_APPROVAL: { status: 403, message: 'Someone other than the person who started the run must approve it' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json (text/csv where a route takes CSV)' },
  INTERNAL: { status: 500, message: 'Internal error; the server log has the details' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** One problem with one field, as listed in `details.issues` of a 400. */
export interface FieldIssue {
  /** Where: `body.username`, `query.limit`, `params.id`. */
  field: string;
  message: string;
}
