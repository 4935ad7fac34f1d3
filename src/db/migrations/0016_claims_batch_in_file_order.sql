DROP INDEX "claims_batch";--> statement-breakpoint
CREATE INDEX "claims_batch" ON "claims" USING btree ("batch_id",length("control_number"),"control_number");