import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { ServiceError } from '@temporalio/client';
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { OffRecordHolderUnreachableError } from '../../services/forms/off-record/answers.js';
import { AppError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Maps body-parser's failures onto our typed errors. */
function fromBodyParser(error: BodyParserError): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError({ message: 'Request body is larger than this server accepts' });
    case 'entity.parse.failed':
      return new ValidationError({ code: 'invalid_json', message: 'Request body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError({ message: 'Request body encoding or charset is not supported' });
    default:
      if (error.status && error.status >= 400 && error.status < 500 && error.expose) {
        return new ValidationError({ code: 'bad_request', message: 'Request could not be read' });
      }
      return undefined;
  }
}

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new ValidationError({
      message: 'Request is not valid',
      details: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  // Our dependencies are down: callers (providers, agents) should retry, so never a 500.
  if (error instanceof ServiceError) {
    return new ServiceUnavailableError({ code: 'temporal_unavailable', message: 'Temporal is not reachable; retry shortly' });
  }
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) {
    return new ServiceUnavailableError({ code: 'database_unavailable', message: 'The database is not reachable; retry shortly' });
  }
  if (error instanceof OffRecordHolderUnreachableError) {
    return new ServiceUnavailableError({
      code: 'off_record_unreachable', message: 'The off-the-record answers are held by another API replica that cannot be asked right now: try again shortly',
    });
  }
  if (error && typeof error === 'object' && 'type' in error) return fromBodyParser(error as BodyParserError);
  return undefined;
}

/** The single error-to-HTTP mapping: `{"error":{"code","message","requestId"}}`. */
export function errorHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const appError = toAppError(error);
    if (!appError) req.log?.error({ err: error }, 'unhandled error');
    const status = appError?.status ?? 500;
    res.status(status).json({
      error: {
        code: appError?.code ?? 'internal_error',
        message: appError?.message ?? 'Something went wrong on our side; the request id helps us find it',
        requestId: req.id,
        ...(appError?.details !== undefined ? { details: appError.details } : {}),
      },
    });
  };
}

export function routeNotFound(): RequestHandler {
  return (req, _res, next) => {
    next(new NotFoundError({ code: 'route_not_found', message: `No route ${req.method} ${req.path}` }));
  };
}
