import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import type { ErrorResponse } from '@cloop/contracts';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

import { codeForStatus } from './error-status';

/**
 * Errors Fastify and Node's HTTP parser answer before a route (and so the global error filter) is
 * reached: a malformed request (Content-Length with Transfer-Encoding, a bad header), headers too
 * large, a request timeout, a URL with broken percent-encoding. They answer in the one error shape
 * too, so a client can switch on `code` whatever went wrong.
 */
export const transportErrorOptions: Pick<FastifyServerOptions, 'clientErrorHandler' | 'frameworkErrors'> = {
  clientErrorHandler: answerClientError,
  frameworkErrors: answerFrameworkError,
};

function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // The client is gone: there is nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const statusCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify(errorBody(statusCode, clientErrorMessage(error, statusCode)));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** llhttp's reasons are fixed texts (never a header's value): worth passing on to the client. */
function clientErrorMessage(error: NodeJS.ErrnoException, statusCode: number): string {
  if (statusCode === 408) return 'The request did not arrive in time';
  if (statusCode === 431) return 'The request headers are too large';
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' && error.code?.startsWith('HPE_')
    ? `Malformed HTTP request: ${reason}`
    : 'Malformed HTTP request';
}

function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  const message =
    error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid (broken percent-encoding)' : 'Bad request';
  void reply.status(statusCode).send(errorBody(statusCode, message));
}

function errorBody(statusCode: number, message: string): ErrorResponse {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code: codeForStatus(statusCode) };
}
