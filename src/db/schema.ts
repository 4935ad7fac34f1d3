// Every domain's tables, gathered for drizzle (queries and migrations).
export * from '../counties/counties.schema.ts';
