/**
 * Every error a client can see: a stable code, an HTTP status and a sentence a person
 * understands. The error handler (error-handler.ts) turns them into
 * {"error": {"code", "message", "fields"?}}; anything else becomes a logged 500 that leaks nothing.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'resource') =>
  new AppError(404, 'not_found', `That ${what} does not exist.`);

export const unauthorized = (message = 'Sign in to continue.') =>
  new AppError(401, 'unauthorized', message);

export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The email or password is incorrect.');

export const validationFailed = (message: string, fields?: Record<string, string>) =>
  new AppError(400, 'validation_failed', message, fields);

export const conflict = (code: string, message: string, fields?: Record<string, string>) =>
  new AppError(409, code, message, fields);

export const tooManyRequests = (retryAfterSeconds: number, message: string) =>
  new AppError(429, 'too_many_requests', message, undefined, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

/**
 * The database, not the request, is the problem (db/database.ts DatabaseFailure): a 503 the
 * client may retry after Retry-After. The driver's own text never reaches the client.
 */
export const databaseUnavailable = () =>
  new AppError(
    503,
    'database_unavailable',
    'The database cannot be reached at the moment. Please try again shortly.',
    undefined,
    { 'retry-after': '5' },
  );

export const databaseBusy = () =>
  new AppError(
    503,
    'database_busy',
    'Other changes were being saved at the same moment. Please try again.',
    undefined,
    { 'retry-after': '1' },
  );

export const databaseTimeout = () =>
  new AppError(
    503,
    'database_timeout',
    'The database took too long to answer this request. Please try again in a moment.',
    undefined,
    { 'retry-after': '5' },
  );
