import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A real OpenID provider (`oidc-provider`, ESM-only) in a child process on a loopback port, with
 * one client for Cloop and the accounts given (id → address), and its development login and
 * consent forms. A process of its own: this CommonJS test build cannot `import()` an ES module.
 */
const PROVIDER_SCRIPT = `
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
const { redirectUri, accounts } = JSON.parse(process.env.IDP_SETUP);
const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = 'http://127.0.0.1:' + server.address().port;
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'cloop', client_secret: 'e2e-client-secret', redirect_uris: [redirectUri],
                grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }],
    cookies: { keys: ['e2e-cookie-key-0123456789abcdef'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: (_ctx, id) => accounts[id] && { accountId: id,
      claims: () => ({ sub: id, email: accounts[id].email, email_verified: true, name: accounts[id].name }) },
  });
  server.on('request', provider.callback());
  console.log('ISSUER ' + issuer);
});
`;

export interface RunningProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export async function startProvider(
  redirectUri: string,
  accounts: Record<string, { email: string; name: string }>,
): Promise<RunningProvider> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', PROVIDER_SCRIPT], {
    env: { ...process.env, IDP_SETUP: JSON.stringify({ redirectUri, accounts }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const issuer = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /ISSUER (\S+)/.exec(output);
      if (found?.[1]) resolve(found[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', () => reject(new Error(`the provider exited:\n${output}`)));
  });
  return {
    issuer,
    clientId: 'cloop',
    clientSecret: 'e2e-client-secret',
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
