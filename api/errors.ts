/** Errors the API maps to HTTP in one place (middleware/error-handler.ts). */
export interface AppErrorOptions {
  message: string;
  /** Stable machine-readable code, e.g. `validation_failed`. */
  code?: string;
  details?: unknown;
  cause?: unknown;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly defaultCode: string;
  readonly details?: unknown;
  private readonly explicitCode?: string;

  constructor(options: AppErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = new.target.name;
    this.explicitCode = options.code;
    this.details = options.details;
  }

  get code(): string {
    return this.explicitCode ?? this.defaultCode;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly defaultCode = 'validation_failed';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly defaultCode = 'unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly defaultCode = 'forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly defaultCode = 'not_found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly defaultCode = 'conflict';
}

export class MethodNotAllowedError extends AppError {
  readonly status = 405;
  readonly defaultCode = 'method_not_allowed';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly defaultCode = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly defaultCode = 'unsupported_media_type';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly defaultCode = 'rate_limited';
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly defaultCode = 'service_unavailable';
}
