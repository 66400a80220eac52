import { QueryFailedError } from 'typeorm';

import { isDatabaseUnavailable } from './unavailable-errors';

function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

function failedQuery(driverError: Error): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], driverError);
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['57P04', 'database dropped'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
    ['08003', 'connection does not exist'],
    ['08000', 'connection exception'],
  ])('recognizes SQLSTATE %s inside a failed query', (code, message) => {
    expect(isDatabaseUnavailable(failedQuery(pgError(message, code)))).toBe(true);
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Connection terminated due to connection timeout',
    'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable',
    'timeout exceeded when trying to connect',
  ])('recognizes the driver message "%s", bare or inside a failed query', (message) => {
    expect(isDatabaseUnavailable(pgError(message))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(pgError(message)))).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE'])('recognizes the socket error %s', (code) => {
    expect(isDatabaseUnavailable(pgError(`connect ${code} 127.0.0.1:5432`, code))).toBe(true);
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['22P02', 'invalid input syntax for type uuid'],
    ['40001', 'could not serialize access'],
    ['42P01', 'relation "x" does not exist'],
  ])('leaves SQLSTATE %s alone: it is not an outage', (code, message) => {
    expect(isDatabaseUnavailable(failedQuery(pgError(message, code)))).toBe(false);
  });

  it('leaves other errors alone', () => {
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
