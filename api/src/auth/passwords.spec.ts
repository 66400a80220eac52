import { DECOY_HASH, hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from './passwords';

describe('passwordProblem', () => {
  const email = 'ada@example.com';

  it('accepts a long passphrase without any composition rules', () => {
    expect(passwordProblem('correct horse battery staple', email)).toBeNull();
    expect(passwordProblem('alllowercase', email)).toBeNull();
  });

  it('refuses passwords shorter than 8 or longer than 128 characters', () => {
    expect(passwordProblem('short12', email)).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(129), email)).toMatch(/at most 128/);
    expect(passwordProblem('x'.repeat(128), email)).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('😀😀😀😀😀😀😀', email)).toMatch(/at least 8/);
  });

  it('refuses common passwords whatever their case', () => {
    expect(passwordProblem('Password1', email)).toMatch(/too common/);
    expect(passwordProblem('SALASANA', email)).toMatch(/too common/);
  });

  it('refuses the email address or its local part', () => {
    expect(passwordProblem('ADA@example.com', email)).toMatch(/email/);
    expect(passwordProblem('ada', 'adalovelace@example.com')).toMatch(/at least 8/);
    expect(passwordProblem('adalovelace', 'adalovelace@example.com')).toMatch(/email/);
  });
});

describe('argon2id hashing', () => {
  it('stores argon2id with at least 19 MiB and 2 iterations, and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await expect(verifyPassword(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'wrong horse battery staple')).resolves.toBe(false);
  });
});

describe('the decoy hash for unknown emails', () => {
  it('has exactly the parameters of real hashes, so checking it costs the same', async () => {
    const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
    expect(parameters(DECOY_HASH)).toBe(parameters(await hashPassword('anything at all')));
    await expect(verifyAgainstDecoy('decoy password that no account has')).resolves.toBe(false);
  });
});
