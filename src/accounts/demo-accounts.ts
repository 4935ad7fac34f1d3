// Demo mode only: one account per role, all with one published password, so a newcomer can see every part of the
// platform. Never loaded outside `--demo`; the addresses use the reserved example.org domain.
import { sql } from 'drizzle-orm';
import { ROLES, ROLE_SCOPES, type Role } from '../access/roles.ts';
import type { Db } from '../db/client.ts';
import { roleAssignments, users } from './accounts.schema.ts';
import { hashPassword } from './password.ts';

export const DEMO_PASSWORD = 'demo only: try every role';
/** County-scoped demo roles act for Alameda County. */
const DEMO_COUNTY = '06001';

export interface DemoAccount {
  email: string;
  role: Role;
  countyFips: string | null;
}

export function demoAccounts(): DemoAccount[] {
  return ROLES.map((role) => ({
    email: `${role.replace(/_/g, '-')}@demo.example.org`,
    role,
    countyFips: ROLE_SCOPES[role] === 'none' ? null : DEMO_COUNTY,
  }));
}

/** Create the demo accounts that do not exist yet; returns all of them, for the printed sign-in list. */
export async function seedDemoAccounts(db: Db): Promise<DemoAccount[]> {
  const accounts = demoAccounts();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    for (const account of accounts) {
      const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${account.email}`);
      if (existing) continue;
      const [user] = await tx
        .insert(users)
        .values({ email: account.email, displayName: `Demo ${account.role.replace(/_/g, ' ')}`, passwordHash, emailVerifiedAt: new Date() })
        .returning({ id: users.id });
      if (user) await tx.insert(roleAssignments).values({ userId: user.id, role: account.role, countyFips: account.countyFips });
    }
  });
  return accounts;
}

export function demoSignInList(accounts: DemoAccount[]): string {
  const lines = accounts.map((a) => `  ${a.email.padEnd(38)} ${a.role}${a.countyFips ? ` (county ${a.countyFips})` : ''}`);
  return [`Demo accounts (password for all: "${DEMO_PASSWORD}"):`, ...lines].join('\n');
}
