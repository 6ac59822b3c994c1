import { ROLES, type Role } from '@ihl/application';
import { mintToken } from '@ihl/auth';

export interface TokenOptions {
  readonly secret: string;
  readonly issuer: string;
  readonly role: string;
  readonly subject: string;
  readonly partnerId?: string | undefined;
  readonly expiresIn: string;
  /** LEDGER_TOKEN_MAX_LIFETIME: the api refuses longer-lived tokens, so none is minted. */
  readonly maxLifetimeSeconds?: number;
}

/** Mints a bearer token for the embedded default, signed with LEDGER_JWT_SECRET. */
export async function runToken(o: TokenOptions): Promise<string> {
  if (!ROLES.includes(o.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')} (got "${o.role}")`);
  if (!/^\d+[smhd]$/.test(o.expiresIn))
    throw new Error(`--expires must look like 30m, 8h or 7d (got "${o.expiresIn}")`);
  return mintToken(
    {
      secret: o.secret,
      issuer: o.issuer,
      ...(o.maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: o.maxLifetimeSeconds } : {}),
    },
    { subject: o.subject, role: o.role as Role, ...(o.partnerId ? { partnerId: o.partnerId } : {}) },
    { expiresIn: o.expiresIn },
  );
}

/** The demo's tokens: one per role, the reference partner's, and a partner behind its share when there is one. */
export async function runDemoTokens(
  o: Omit<TokenOptions, 'role' | 'subject' | 'partnerId'> & { readonly partnerBehind?: string | undefined },
): Promise<ReadonlyArray<readonly [name: string, token: string]>> {
  const wanted: Array<[string, string, string, string?]> = [
    ['ADMIN', 'admin', 'demo-admin'],
    ['AUDITOR', 'agency-auditor', 'demo-auditor'],
    ['FINANCE', 'finance-officer', 'demo-finance'],
    ['PARTNER', 'partner-submitter', 'demo-visaginas', 'visaginas-spc'],
  ];
  if (o.partnerBehind) wanted.push(['PARTNER_BEHIND', 'partner-submitter', `demo-${o.partnerBehind}`, o.partnerBehind]);
  // One process mints them all: each `ledger token` loads the whole CLI (seconds on a loaded host).
  return Promise.all(
    wanted.map(
      async ([name, role, subject, partnerId]) => [name, await runToken({ ...o, role, subject, partnerId })] as const,
    ),
  );
}
