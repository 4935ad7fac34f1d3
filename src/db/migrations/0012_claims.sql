CREATE SEQUENCE "public"."claim_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100001 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "public"."x12_interchange_control_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1001 CACHE 1;--> statement-breakpoint
CREATE TABLE "claim_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"state" text DEFAULT 'built' NOT NULL,
	"interchange_control" bigint,
	"built_on" date NOT NULL,
	"built_by" uuid,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "claim_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"line_number" integer NOT NULL,
	"procedure_code" char(5) NOT NULL,
	"modifiers" text DEFAULT '' NOT NULL,
	"units" integer NOT NULL,
	"rate_cents" integer NOT NULL,
	"charge_cents" integer NOT NULL,
	"control_number" text NOT NULL,
	"rendering_npi" char(10),
	"paid_cents" integer,
	"adjustments" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_state_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"reason" text,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"service_date" date NOT NULL,
	"delivery_system" text NOT NULL,
	"control_number" text NOT NULL,
	"frequency" char(1) DEFAULT '1' NOT NULL,
	"replaces_claim_id" uuid,
	"payer_control_number" text,
	"state" text NOT NULL,
	"place_of_service" char(2) NOT NULL,
	"total_cents" integer NOT NULL,
	"paid_cents" integer,
	"edits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"adjustments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fee_schedule_rates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_code" text NOT NULL,
	"delivery_system" text NOT NULL,
	"procedure_code" char(5) NOT NULL,
	"modifiers" text DEFAULT '' NOT NULL,
	"effective_from" date NOT NULL,
	"rate_cents" integer NOT NULL,
	"illustrative" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remittances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" char(64) NOT NULL,
	"file_name" text NOT NULL,
	"payer_name" text,
	"trace_number" text,
	"payment_cents" integer NOT NULL,
	"paid_on" date,
	"claims_matched" integer NOT NULL,
	"lines_posted" integer NOT NULL,
	"unmatched" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"received_by" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD COLUMN "street" text;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD COLUMN "city" text;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD COLUMN "zip" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "diagnosis_code" text;--> statement-breakpoint
ALTER TABLE "claim_batches" ADD CONSTRAINT "claim_batches_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_batches" ADD CONSTRAINT "claim_batches_built_by_users_id_fk" FOREIGN KEY ("built_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_lines" ADD CONSTRAINT "claim_lines_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_lines" ADD CONSTRAINT "claim_lines_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_state_changes" ADD CONSTRAINT "claim_state_changes_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_state_changes" ADD CONSTRAINT "claim_state_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_batch_id_claim_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."claim_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_replaces_claim_id_claims_id_fk" FOREIGN KEY ("replaces_claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_schedule_rates" ADD CONSTRAINT "fee_schedule_rates_plan_code_behavioral_health_plans_code_fk" FOREIGN KEY ("plan_code") REFERENCES "public"."behavioral_health_plans"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_schedule_rates" ADD CONSTRAINT "fee_schedule_rates_delivery_system_delivery_systems_code_fk" FOREIGN KEY ("delivery_system") REFERENCES "public"."delivery_systems"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_schedule_rates" ADD CONSTRAINT "fee_schedule_rates_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_batches_org" ON "claim_batches" USING btree ("organization_id","built_at");--> statement-breakpoint
CREATE UNIQUE INDEX "claim_lines_control_number" ON "claim_lines" USING btree ("control_number");--> statement-breakpoint
CREATE INDEX "claim_lines_claim" ON "claim_lines" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "claim_lines_encounter" ON "claim_lines" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "claim_state_changes_claim" ON "claim_state_changes" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_control_number" ON "claims" USING btree ("control_number");--> statement-breakpoint
CREATE INDEX "claims_batch" ON "claims" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "claims_org_state" ON "claims" USING btree ("organization_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "fee_schedule_rates_key" ON "fee_schedule_rates" USING btree ("plan_code","delivery_system","procedure_code","modifiers","effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "remittances_sha256" ON "remittances" USING btree ("sha256");