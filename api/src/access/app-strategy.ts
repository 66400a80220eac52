import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';

/** What `PassportStrategy` registers a strategy in as it is constructed: nothing (see below). */
const NOT_REGISTERED = { use: () => NOT_REGISTERED };

/**
 * A Passport strategy of this app: @nestjs/passport's `PassportStrategy` over `passport-custom`
 * (passport calls `validate(request)`; what it returns is the caller, what it throws the answer).
 * Unlike a plain `PassportStrategy`, constructing it does not register it in passport's
 * process-wide instance, where the last app started in a process would replace every other app's
 * strategies, and with them their secret and database (the tests start several apps with different
 * secrets in one process). Each app registers its own in its own instance (`access/app-passport.ts`).
 */
export abstract class AppStrategy extends PassportStrategy(Strategy) {
  /** Called by `PassportStrategy`'s constructor, which registers the strategy in what it returns. */
  getPassportInstance(): typeof NOT_REGISTERED {
    return NOT_REGISTERED;
  }
}
