import { STATUS_CODES } from 'node:http';

import type { ErrorResponse } from '@cloop/contracts';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

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
      // The stack and error name only: messages of driver errors can quote row values.
      const err = exception instanceof Error ? exception : new Error('non-error thrown');
      this.logger.error(
        `${request.method} ${request.routeOptions.url ?? ''} failed [${request.id}]: ${err.name}`,
        err.stack,
      );
    }
    if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(retryAfterSeconds));
    void reply.status(body.statusCode).send(body);
  }
}

export function toErrorResponse(exception: unknown): { body: ErrorResponse; retryAfterSeconds?: number } {
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
  return {
    body: { statusCode: 500, error: reason(500), message: 'Internal server error', code: 'INTERNAL_ERROR' },
  };
}

function isErrorWithStatus(value: unknown): value is ErrorWithStatus {
  return value instanceof Error && typeof (value as Partial<ErrorWithStatus>).statusCode === 'number';
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
