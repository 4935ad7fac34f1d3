CREATE TABLE "organization_sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"street" text NOT NULL,
	"city" text NOT NULL,
	"zip" text NOT NULL,
	"place_of_service" char(2) NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "beneficiaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"cin_encrypted" text NOT NULL,
	"cin_index" char(64) NOT NULL,
	"birth_date_encrypted" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"sex" char(1) DEFAULT 'U' NOT NULL,
	"county_fips" char(5) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eligibility_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"source" text NOT NULL,
	"aid_code" text,
	"import_sha256" char(64),
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "encounter_flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"encounter_id" uuid NOT NULL,
	"cause" text NOT NULL,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved" boolean DEFAULT false NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "encounter_participants" (
	"encounter_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	CONSTRAINT "encounter_participants_encounter_id_beneficiary_id_pk" PRIMARY KEY("encounter_id","beneficiary_id")
);
--> statement-breakpoint
CREATE TABLE "encounters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"peer_id" uuid NOT NULL,
	"site_id" uuid,
	"service_date" date NOT NULL,
	"start_time" time,
	"end_time" time,
	"minutes" integer NOT NULL,
	"component" text NOT NULL,
	"delivery_system" text NOT NULL,
	"modality" text NOT NULL,
	"telehealth_consent" text,
	"place_of_service" char(2) NOT NULL,
	"care_plan_reference" text,
	"note_narrative" text DEFAULT '' NOT NULL,
	"note_next_steps" text DEFAULT '' NOT NULL,
	"signed_by" uuid,
	"signed_at" timestamp with time zone,
	"signed_on" date,
	"cosigned_by" uuid,
	"cosigned_at" timestamp with time zone,
	"status" text DEFAULT 'draft' NOT NULL,
	"failures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"validated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "role_assignments" ADD COLUMN "organization_id" uuid;--> statement-breakpoint
ALTER TABLE "organization_sites" ADD CONSTRAINT "organization_sites_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_sites" ADD CONSTRAINT "organization_sites_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_county_fips_counties_fips_fk" FOREIGN KEY ("county_fips") REFERENCES "public"."counties"("fips") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD CONSTRAINT "beneficiaries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_periods" ADD CONSTRAINT "eligibility_periods_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_periods" ADD CONSTRAINT "eligibility_periods_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_flags" ADD CONSTRAINT "encounter_flags_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_participants" ADD CONSTRAINT "encounter_participants_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_participants" ADD CONSTRAINT "encounter_participants_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_peer_id_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."peers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_site_id_organization_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."organization_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_delivery_system_delivery_systems_code_fk" FOREIGN KEY ("delivery_system") REFERENCES "public"."delivery_systems"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_cosigned_by_users_id_fk" FOREIGN KEY ("cosigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_sites_org" ON "organization_sites" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "beneficiaries_org_cin" ON "beneficiaries" USING btree ("organization_id","cin_index");--> statement-breakpoint
CREATE INDEX "beneficiaries_org_name" ON "beneficiaries" USING btree ("organization_id","last_name","first_name");--> statement-breakpoint
CREATE INDEX "eligibility_periods_member" ON "eligibility_periods" USING btree ("beneficiary_id","starts_on");--> statement-breakpoint
CREATE INDEX "encounter_flags_open" ON "encounter_flags" USING btree ("encounter_id") WHERE not resolved;--> statement-breakpoint
CREATE INDEX "encounter_participants_member" ON "encounter_participants" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "encounters_org_date" ON "encounters" USING btree ("organization_id","service_date");--> statement-breakpoint
CREATE INDEX "encounters_peer_date" ON "encounters" USING btree ("peer_id","service_date");--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;