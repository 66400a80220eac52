/**
 * The request groups of the product's rate limits, each counted per client IP. `apiKey` is console
 * routes called with an organization API key: an integrator's sync neither spends nor is cut by the
 * budget of the people using the console from the same address.
 */
export type RateLimitGroup = 'auth' | 'admin' | 'apiKey' | 'public' | 'chat' | 'mail';

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export type RateLimitSettings = Record<RateLimitGroup, RateLimitRule> & {
  /** Invitation, confirmation and reset messages to one address, whoever asks (not per IP). */
  mailPerAddress: RateLimitRule;
  /** Failed sign-ins for one account from one IP; other IPs are unaffected. */
  loginFailures: RateLimitRule;
  /** Messages of one widget visitor, wherever they come from. */
  visitorMessages: RateLimitRule;
  /** New widget visitors created from one IP. */
  newVisitors: RateLimitRule;
  /** New realtime sockets from one IP. */
  realtimeConnections: RateLimitRule;
};

const MINUTE = 60_000;

/** Every limit of Cloop, in one place. */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  auth: { limit: 30, windowMs: MINUTE },
  admin: { limit: 600, windowMs: MINUTE },
  public: { limit: 300, windowMs: MINUTE },
  chat: { limit: 120, windowMs: MINUTE },
  /** Requests that send e-mail (password reset, verification again): a mailbox is not a target. */
  mail: { limit: 10, windowMs: 15 * MINUTE },
  /** Enough for a few resends and a reset; a mailbox cannot be flooded through Cloop. */
  mailPerAddress: { limit: 10, windowMs: 60 * MINUTE },
  loginFailures: { limit: 5, windowMs: 15 * MINUTE },
  visitorMessages: { limit: 20, windowMs: MINUTE },
  newVisitors: { limit: 30, windowMs: 60 * MINUTE },
  realtimeConnections: { limit: 60, windowMs: MINUTE },
  apiKey: { limit: 600, windowMs: MINUTE },
};
