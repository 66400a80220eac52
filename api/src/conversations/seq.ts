/** A message's `seq` in its conversation is a PostgreSQL integer: no request may name a larger one. */
export const MAX_SEQ = 2_147_483_647;
