DROP INDEX "claims_org_state";--> statement-breakpoint
CREATE INDEX "claims_org_date" ON "claims" USING btree ("organization_id","service_date");--> statement-breakpoint
-- A claim and its lines are updated after they are written (submitted, then paid or denied): room on each page
-- lets PostgreSQL update them in place without touching their indexes (HOT), and no index holds the claim's state.
ALTER TABLE "claims" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "claim_lines" SET (fillfactor = 70);
