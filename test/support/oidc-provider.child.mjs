// A real OpenID provider for the browser tests (oidc-provider, ESM only, hence this child process):
// 127.0.0.1 on a free port, one confidential client for the ledger's web app, and accounts whose
// claims carry the ledger role and partner. Its development login form takes any password.
// Usage: node oidc-provider.child.mjs <redirect-uri> <client-id> <client-secret>; prints {"issuer": ...}.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [redirectUri, clientId, clientSecret] = process.argv.slice(2);
const ACCOUNTS = {
  'auditor-1': { role: 'agency-auditor' },
  'finance-1': { role: 'finance-officer' },
  'visaginas-user': { role: 'partner-submitter', partnerId: 'visaginas-spc' },
  'utena-user': { role: 'partner-submitter', partnerId: 'utena-spc' },
  'admin-1': { role: 'admin' },
  // A role the ledger does not know: the sign-in must be refused.
  'stranger-1': { role: 'root' },
};

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  scopes: ['openid', 'ledger'],
  claims: { openid: ['sub'], ledger: ['role', 'partnerId'] },
  // The role and partner in the ID token itself (the ledger also reads userinfo when they are not).
  conformIdTokenClaims: false,
  cookies: { keys: ['oidc-provider-test-cookie-key-0123456789'] },
  async findAccount(_ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
