import { AuthService } from '../auth/auth.service';
import { SignupDto } from '../auth/dto/auth.dto';
import { createValidationPipe } from '../common/validation';
import { type CliApp, options } from './cli-options';
import { type CliIo, CliUsageError, readPassword } from './password-input';

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name]?.trim();
  if (!value) throw new CliUsageError(`--${name} is required`);
  return value;
}

/**
 * `user:create --email <email> --name <name> [--password <password>]`: the account sign-up would
 * make, with its own organization, even when sign-up is closed (`ALLOW_SIGNUP=false`).
 */
export async function createUserCommand(app: CliApp, args: string[], io: CliIo): Promise<number> {
  const values = options(args, ['email', 'name', 'password']);
  const email = required(values, 'email');
  const name = required(values, 'name');
  const password = await readPassword(values['password'], io);
  // The same checks as the sign-up route's body: email format, name, lengths.
  const request = (await createValidationPipe().transform(
    { email, name, password },
    { type: 'body', metatype: SignupDto },
  )) as SignupDto;
  const created = await app.get(AuthService).createUser(request);
  io.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
  return 0;
}

/**
 * `user:password --email <email> [--password <password>]`: a new password for someone locked out;
 * every session of theirs ends (they sign in again everywhere).
 */
export async function resetPasswordCommand(app: CliApp, args: string[], io: CliIo): Promise<number> {
  const values = options(args, ['email', 'password']);
  const email = required(values, 'email');
  const password = await readPassword(values['password'], io);
  const user = await app.get(AuthService).resetPassword(email, password);
  if (!user) {
    io.stderr.write('No account has this email; nothing was changed\n');
    return 1;
  }
  io.stdout.write(`${JSON.stringify({ user, sessionsEnded: true }, null, 2)}\n`);
  return 0;
}
