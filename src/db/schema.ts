// Every domain's tables, gathered for drizzle (queries and migrations).
export * from '../counties/counties.schema.ts';
export * from '../accounts/accounts.schema.ts';
export * from '../audit/audit.schema.ts';
export * from '../rules/rules.schema.ts';
export * from '../certification/certification.schema.ts';
export * from '../training/training.schema.ts';
export * from '../jobs/jobs.schema.ts';
export * from '../registry/registry.schema.ts';
export * from '../alerts/alerts.schema.ts';
export * from '../enforcement/enforcement.schema.ts';
export * from '../organizations/organizations.schema.ts';
export * from '../beneficiaries/beneficiaries.schema.ts';
export * from '../encounters/encounters.schema.ts';
export * from '../claims/claims.schema.ts';
