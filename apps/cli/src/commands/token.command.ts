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
