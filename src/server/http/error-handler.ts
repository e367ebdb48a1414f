import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { databaseFailureReason } from '../db/database.ts';
import { AppError, databaseBusy, databaseTimeout, databaseUnavailable } from './errors.ts';

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

const body = (code: string, message: string, fields?: Record<string, string>): ErrorBody => ({
  error: fields && Object.keys(fields).length > 0 ? { code, message, fields } : { code, message },
});

/** The database failing (down, contended after retries, too slow): 503, never a 500. */
function fromDatabaseFailure(err: unknown): AppError | undefined {
  switch (databaseFailureReason(err)) {
    case 'unavailable':
      return databaseUnavailable();
    case 'busy':
      return databaseBusy();
    case 'timeout':
      return databaseTimeout();
    case undefined:
      return undefined;
  }
}

/** Postgres errors that bad input can still reach despite validation (races, constraints). */
function fromPostgres(err: { code?: unknown; constraint?: unknown }): AppError | undefined {
  switch (err.code) {
    case '23505':
      return new AppError(409, 'conflict', 'That conflicts with something you already have.');
    case '23514':
    case '22001':
    case '22P02':
    case '22021':
      return new AppError(400, 'validation_failed', 'Some of the values are not allowed.');
    case '23503':
      return new AppError(404, 'not_found', 'That resource does not exist.');
    default:
      return undefined;
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send(body('not_found', `There is no ${req.method} ${req.url.split('?')[0]} here.`));
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.headers) void reply.headers(err.headers);
      return reply.code(err.status).send(body(err.code, err.message, err.fields));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext;
      // An id that is not even a UUID cannot be anyone's: same answer as an unknown id.
      if (context === 'params') {
        return reply.code(404).send(body('not_found', 'That resource does not exist.'));
      }
      const fields: Record<string, string> = {};
      for (const v of err.validation) {
        const path = v.instancePath.split('/').filter(Boolean);
        if (v.keyword === 'unrecognized_keys') {
          // Never silently dropped: naming them tells the caller what to remove.
          const keys = (v.params as { keys?: string[] }).keys ?? [];
          for (const k of keys) fields[[...path, k].join('.')] = 'is not a field you can set';
          continue;
        }
        fields[path.length > 0 ? path.join('.') : (context ?? 'body')] ??=
          v.message ?? 'is invalid';
      }
      const where =
        context === 'querystring'
          ? 'query parameters'
          : context === 'headers'
            ? 'headers'
            : 'request body';
      return reply
        .code(400)
        .send(body('validation_failed', `Some fields of the ${where} are invalid.`, fields));
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (err.statusCode === 400 && err instanceof SyntaxError)
    ) {
      return reply.code(400).send(body('invalid_json', 'The request body is not valid JSON.'));
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply
        .code(400)
        .send(body('invalid_json', 'The request body is empty; send a JSON object.'));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = req.routeOptions.bodyLimit ?? 1_048_576;
      return reply
        .code(413)
        .send(
          body(
            'payload_too_large',
            `The request body is larger than ${Math.round(limit / 1024)} KiB.`,
          ),
        );
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply
        .code(415)
        .send(body('unsupported_media_type', 'Send the request body as application/json.'));
    }
    const failure = fromDatabaseFailure(err);
    if (failure) {
      // One line per request while the database is down: the operator sees when and how long.
      req.log.warn({ err }, `database failure: ${failure.code}`);
      void reply.headers(failure.headers ?? {});
      return reply.code(failure.status).send(body(failure.code, failure.message));
    }
    const pgError = fromPostgres(err);
    if (pgError) {
      req.log.warn({ err }, 'database rejected a request');
      return reply.code(pgError.status).send(body(pgError.code, pgError.message));
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(body('bad_request', err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .send(body('internal_error', 'Something went wrong on our side. Please try again.'));
  });
}
