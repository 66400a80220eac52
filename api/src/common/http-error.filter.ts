import { STATUS_CODES } from 'node:http';

import type { ErrorResponse } from '@cloop/contracts';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { describeFailure } from '../database/describe-failure';
import { isDatabaseUnavailable } from '../database/unavailable-errors';
import { DomainError } from './domain-error';
import { codeForStatus, STATUS_BY_CODE } from './error-status';

interface ErrorWithStatus {
  statusCode: number;
  message: string;
}

/** Turns every failure into the one error shape of DESIGN §10. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { body, retryAfterSeconds } = toErrorResponse(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        `${request.method} ${request.routeOptions.url ?? ''} failed [${request.id}]: ${describeFailure(exception)}`,
        // A 503 (the database away for a moment) is expected in operations; its stack tells nothing.
        body.statusCode === 500 ? stackFrames(exception) : undefined,
      );
    }
    if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(retryAfterSeconds));
    void reply.status(body.statusCode).send(body);
  }
}

function toErrorResponse(exception: unknown): { body: ErrorResponse; retryAfterSeconds?: number } {
  if (exception instanceof DomainError) {
    const statusCode = STATUS_BY_CODE[exception.code];
    return {
      body: {
        statusCode,
        error: reason(statusCode),
        message: exception.message,
        code: exception.code,
        ...(exception.options.details ? { details: exception.options.details } : {}),
      },
      retryAfterSeconds: exception.options.retryAfterSeconds,
    };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const message = statusCode === 404 ? 'No such route' : exception.message;
    return { body: { statusCode, error: reason(statusCode), message, code: codeForStatus(statusCode) } };
  }
  if (isErrorWithStatus(exception) && exception.statusCode < 500) {
    // Fastify's own errors (body too large, malformed JSON, unsupported content type).
    const { statusCode } = exception;
    return {
      body: {
        statusCode,
        error: reason(statusCode),
        message: exception.message,
        code: codeForStatus(statusCode),
      },
    };
  }
  if (isDatabaseUnavailable(exception)) {
    // A restart, a dropped connection, or every connection busy past the wait limit: worth a retry.
    return {
      body: {
        statusCode: 503,
        error: reason(503),
        message: 'Busy; retry shortly',
        code: 'SERVICE_UNAVAILABLE',
      },
      retryAfterSeconds: 1,
    };
  }
  return {
    body: { statusCode: 500, error: reason(500), message: 'Internal server error', code: 'INTERNAL_ERROR' },
  };
}

function stackFrames(exception: unknown): string | undefined {
  return exception instanceof Error ? exception.stack?.split('\n').slice(1).join('\n') : undefined;
}

function isErrorWithStatus(value: unknown): value is ErrorWithStatus {
  return value instanceof Error && typeof (value as Partial<ErrorWithStatus>).statusCode === 'number';
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
