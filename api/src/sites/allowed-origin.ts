import { registerDecorator, type ValidationOptions } from 'class-validator';

const SHAPE = /^https?:\/\/[^/?#@\s]+$/i;
/** After URL parsing: a DNS name (IDN already punycoded), an IPv4 address or a bracketed IPv6 one. */
const HOSTNAME = /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/;

/**
 * The canonical form of an origin given as `scheme://host[:port]`, as browsers send it in the
 * `Origin` header (lower-case, default port dropped, IDN as punycode); `null` if it is not one.
 */
export function normalizeOrigin(value: string): string | null {
  if (!SHAPE.test(value)) return null;
  try {
    const url = new URL(value);
    return HOSTNAME.test(url.hostname) ? url.origin : null;
  } catch {
    return null;
  }
}

export function IsAllowedOrigin(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAllowedOrigin',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: ({ value }) =>
          `allowedOrigins: "${String(value)}" is not of the form scheme://host[:port] (http or https, no path)`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normalizeOrigin(value) !== null,
      },
    });
}
