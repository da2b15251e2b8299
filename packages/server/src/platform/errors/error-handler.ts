import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, FieldIssue } from '@opsline/contracts';
import { AppError } from './app-error.js';
import '../http/fastify-types.js';

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', body: 'body', params: 'params', headers: 'headers' };

interface ValidationItem {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: { keys?: unknown };
}

/** Field-level issues from a schema failure: `body.username`, `query.limit`, and one per unknown key. */
function fieldIssues(context: string, items: readonly ValidationItem[]): FieldIssue[] {
  const prefix = CONTEXT_NAMES[context] ?? context;
  return items.flatMap((item) => {
    const path = item.instancePath.split('/').filter(Boolean).join('.');
    const base = path ? `${prefix}.${path}` : prefix;
    const keys = item.params?.keys;
    if (item.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      return keys.map((k) => ({ field: `${base}.${String(k)}`, message: 'unknown field' }));
    }
    return [{ field: base, message: item.message ?? 'invalid' }];
  });
}

function send(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  reply.request.errorCode = body.error.code;
  return reply.code(status).type('application/json').send(body);
}

/** Turns every error into `{error: {code, message, details?}}`; 5xx internals stay in the log. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      if (err.headers) void reply.headers(err.headers);
      const body: ErrorBody = { error: { code: err.code, message: err.message } };
      if (err.details !== undefined) body.error.details = err.details;
      return send(reply, err.status, body);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = fieldIssues(err.validationContext ?? 'body', err.validation);
      const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      return send(reply, 400, { error: { code: 'VALIDATION_FAILED', message, details: { issues } } });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 400, {
          error: { code: 'INVALID_JSON', message: `body: ${err.message}`, details: { issues: [{ field: 'body', message: err.message }] } },
        });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is too large (limit ${Math.round((req.routeOptions.bodyLimit ?? 0) / 2 ** 20)} MiB)` } });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 415, { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' } });
      default:
        break;
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(reply, status, { error: { code: err.code ?? 'BAD_REQUEST', message: err.message } });
    }
    req.log.error({ err }, 'request failed');
    return send(reply, 500, { error: { code: 'INTERNAL', message: 'Internal error; the server log has the details' } });
  });

}
