import type { Actor } from '@ihl/application';

/**
 * The demo's users, one per role, chosen on the sign-in page when LEDGER_DEMO_USERS=on (refused
 * beside a real provider). Their subjects are the ones scripts/demo.sh mints tokens for; the
 * partner is the reference project's first partner (projects/07-003-P-0001.json).
 */
export const DEMO_USERS: readonly Actor[] = [
  { subject: 'demo-auditor', role: 'agency-auditor' },
  { subject: 'demo-finance', role: 'finance-officer' },
  { subject: 'demo-visaginas', role: 'partner-submitter', partnerId: 'visaginas-spc' },
  { subject: 'demo-admin', role: 'admin' },
];
export const DEMO_USER_IDS = DEMO_USERS.map((u) => u.subject);
