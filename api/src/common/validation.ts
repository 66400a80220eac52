import { type ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';

import { DomainError } from './domain-error';

/**
 * Whitelist validation: unknown fields are refused, not silently dropped, so a typo in a client
 * shows up as a 400 instead of a setting that never changes.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new DomainError('VALIDATION_FAILED', details[0] ?? 'Invalid request', { details });
    },
  });
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      // class-validator names the bare property; show the full path of nested fields.
      parent ? message.replace(error.property, path) : message,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Like `@IsOptional()`, but only an absent field is skipped: an explicit `null` is validated (and
 * refused) instead of reaching the service as a value no column accepts.
 */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
