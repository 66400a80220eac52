/**
 * Passwords of 8+ characters that lead public breach-frequency lists (plus Finnish favourites).
 * Refusing these stops the bulk of credential-stuffing hits; we add no composition rules (NIST 800-63B).
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '12345678', '123456789', '1234567890', '12341234', '11111111', '00000000', '87654321', '88888888',
  '123123123', '1234qwer', 'qwer1234', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'zaq12wsx', 'q1w2e3r4',
  'qwertyui', 'qwertyuiop', 'qwerty12', 'qwerty123', 'qwerty1234', 'asdfghjk', 'asdfghjkl', 'asdfasdf',
  'zxcvbnm1', 'password', 'password1', 'password12', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'basketball', 'superman',
  'starwars', 'whatever', 'trustno1', 'welcome1', 'welcome123', 'letmein1', 'letmein123', 'abc12345',
  'abcd1234', 'abcdefgh', 'admin123', 'administrator', 'changeme', 'changeme1', 'computer', 'internet',
  'michelle', 'jennifer', 'jessica1', 'charlie1', 'liverpool', 'chelsea1', 'midnight', 'mustang1',
  'shadow12', 'master12', 'monkey12', 'dragon12', 'freedom1', 'default1', 'pokemon1', 'cookie123',
  'matrix12', 'loveyou1', 'hello123', 'test1234', 'testtest', 'secret12', 'samsung1', 'google123',
  'salasana', 'salasana1', 'salasana12', 'salasana123', 'perkele1', 'kissa123', 'koira123', 'suomi123',
  'cloopcloop', 'cloop123', 'cloop1234',
]);
