CREATE SEQUENCE "public"."enforcement_case_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1001 CACHE 1;--> statement-breakpoint
CREATE TABLE "case_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"email" text,
	"phone" text,
	"note" text,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" char(64) NOT NULL,
	"storage_key" text NOT NULL,
	"description" text,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"body" text NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_outcomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"terms" text,
	"starts_on" date,
	"ends_on" date,
	"public_summary" text,
	"subject_peer_id" uuid,
	"subject_certification_id" uuid,
	"subject_provider_id" uuid,
	"status_change_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"approval_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reversed_by_case_id" uuid,
	"reversed_on" date,
	"decided_by" uuid,
	"decided_on" date NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_reminders" (
	"case_id" uuid NOT NULL,
	"clock" text NOT NULL,
	"due_on" date NOT NULL,
	"offset_days" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enforcement_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"type" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"received_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"assigned_to" uuid,
	"complainant_user_id" uuid,
	"complainant_name" text,
	"complainant_email" text,
	"complainant_phone" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"subject_peer_id" uuid,
	"subject_certification_id" uuid,
	"subject_provider_id" uuid,
	"subject_description" text,
	"occurred_on" date,
	"location" text,
	"narrative" text NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"appealed_outcome_id" uuid,
	"appealed_application_id" uuid,
	"appealed_decision" text,
	"acknowledge_by" date NOT NULL,
	"acknowledged_on" date,
	"acknowledged_how" text,
	"decide_by" date NOT NULL,
	"extended_to" date,
	"extension_reason" text,
	"extended_on" date,
	"decided_on" date,
	"outcome_notice_sent_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"calendar" text NOT NULL,
	"date" date NOT NULL,
	"name" text NOT NULL,
	"observed_for" date
);
--> statement-breakpoint
CREATE TABLE "investigator_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigator_id" uuid NOT NULL,
	"peer_id" uuid NOT NULL,
	"relation" text NOT NULL,
	"note" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "certification_status_changes" ADD COLUMN "reverses_change_id" uuid;--> statement-breakpoint
ALTER TABLE "case_contacts" ADD CONSTRAINT "case_contacts_case_id_enforcement_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."enforcement_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_contacts" ADD CONSTRAINT "case_contacts_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_evidence" ADD CONSTRAINT "case_evidence_case_id_enforcement_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."enforcement_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_evidence" ADD CONSTRAINT "case_evidence_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_case_id_enforcement_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."enforcement_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_case_id_enforcement_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."enforcement_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_subject_peer_id_peers_id_fk" FOREIGN KEY ("subject_peer_id") REFERENCES "public"."peers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_subject_certification_id_certifications_id_fk" FOREIGN KEY ("subject_certification_id") REFERENCES "public"."certifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_subject_provider_id_training_providers_id_fk" FOREIGN KEY ("subject_provider_id") REFERENCES "public"."training_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_reversed_by_case_id_enforcement_cases_id_fk" FOREIGN KEY ("reversed_by_case_id") REFERENCES "public"."enforcement_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_outcomes" ADD CONSTRAINT "case_outcomes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reminders" ADD CONSTRAINT "case_reminders_case_id_enforcement_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."enforcement_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_complainant_user_id_users_id_fk" FOREIGN KEY ("complainant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_subject_peer_id_peers_id_fk" FOREIGN KEY ("subject_peer_id") REFERENCES "public"."peers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_subject_certification_id_certifications_id_fk" FOREIGN KEY ("subject_certification_id") REFERENCES "public"."certifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_subject_provider_id_training_providers_id_fk" FOREIGN KEY ("subject_provider_id") REFERENCES "public"."training_providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_appealed_outcome_id_case_outcomes_id_fk" FOREIGN KEY ("appealed_outcome_id") REFERENCES "public"."case_outcomes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_appealed_application_id_applications_id_fk" FOREIGN KEY ("appealed_application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_cases" ADD CONSTRAINT "enforcement_cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigator_conflicts" ADD CONSTRAINT "investigator_conflicts_investigator_id_users_id_fk" FOREIGN KEY ("investigator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigator_conflicts" ADD CONSTRAINT "investigator_conflicts_peer_id_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."peers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigator_conflicts" ADD CONSTRAINT "investigator_conflicts_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_contacts_case" ON "case_contacts" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_evidence_case" ON "case_evidence" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_notes_case" ON "case_notes" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_outcomes_case" ON "case_outcomes" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_outcomes_certification" ON "case_outcomes" USING btree ("subject_certification_id");--> statement-breakpoint
CREATE INDEX "case_outcomes_peer" ON "case_outcomes" USING btree ("subject_peer_id");--> statement-breakpoint
CREATE INDEX "case_outcomes_provider" ON "case_outcomes" USING btree ("subject_provider_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_reminders_once" ON "case_reminders" USING btree ("case_id","clock","due_on","offset_days");--> statement-breakpoint
CREATE UNIQUE INDEX "enforcement_cases_number" ON "enforcement_cases" USING btree ("number");--> statement-breakpoint
CREATE INDEX "enforcement_cases_open" ON "enforcement_cases" USING btree ("status","decide_by");--> statement-breakpoint
CREATE INDEX "enforcement_cases_subject" ON "enforcement_cases" USING btree ("subject_peer_id");--> statement-breakpoint
CREATE INDEX "enforcement_cases_assigned" ON "enforcement_cases" USING btree ("assigned_to","status");--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_calendar_date" ON "holidays" USING btree ("calendar","date");--> statement-breakpoint
CREATE INDEX "investigator_conflicts_investigator" ON "investigator_conflicts" USING btree ("investigator_id","peer_id");--> statement-breakpoint
ALTER TABLE "certification_status_changes" ADD CONSTRAINT "certification_status_changes_reverses_change_id_certification_status_changes_id_fk" FOREIGN KEY ("reverses_change_id") REFERENCES "public"."certification_status_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certification_status_reversals" ON "certification_status_changes" USING btree ("reverses_change_id") WHERE reverses_change_id is not null;