// Every domain's tables, gathered for drizzle (queries and migrations).
export * from '../counties/counties.schema.ts';
export * from '../accounts/accounts.schema.ts';
export * from '../audit/audit.schema.ts';
