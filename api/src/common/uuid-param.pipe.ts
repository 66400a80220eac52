import { ParseUUIDPipe } from '@nestjs/common';

import { DomainError } from './domain-error';

/** For `:id` path parameters: a malformed id is a VALIDATION_FAILED 400 like any other bad input. */
export const uuidParam = new ParseUUIDPipe({
  exceptionFactory: (message) => new DomainError('VALIDATION_FAILED', message),
});
