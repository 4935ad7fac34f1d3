CREATE TABLE "employments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"peer_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"individual_npi" char(10) NOT NULL,
	"taxonomy" text DEFAULT '175T00000X' NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization_contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"delivery_system" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"npi" char(10) NOT NULL,
	"tax_id" char(9) NOT NULL,
	"county_fips" char(5) NOT NULL,
	"street" text NOT NULL,
	"city" text NOT NULL,
	"state" char(2) DEFAULT 'CA' NOT NULL,
	"zip" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"supervisor_user_id" uuid NOT NULL,
	"peer_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervisors" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"qualification_basis" text NOT NULL,
	"training_completed_on" date,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "employments" ADD CONSTRAINT "employments_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employments" ADD CONSTRAINT "employments_peer_id_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."peers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employments" ADD CONSTRAINT "employments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_contracts" ADD CONSTRAINT "organization_contracts_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_contracts" ADD CONSTRAINT "organization_contracts_delivery_system_delivery_systems_code_fk" FOREIGN KEY ("delivery_system") REFERENCES "public"."delivery_systems"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_contracts" ADD CONSTRAINT "organization_contracts_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_organizations" ADD CONSTRAINT "provider_organizations_county_fips_counties_fips_fk" FOREIGN KEY ("county_fips") REFERENCES "public"."counties"("fips") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_organizations" ADD CONSTRAINT "provider_organizations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_assignments" ADD CONSTRAINT "supervision_assignments_organization_id_provider_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."provider_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_assignments" ADD CONSTRAINT "supervision_assignments_supervisor_user_id_supervisors_user_id_fk" FOREIGN KEY ("supervisor_user_id") REFERENCES "public"."supervisors"("user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_assignments" ADD CONSTRAINT "supervision_assignments_peer_id_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."peers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_assignments" ADD CONSTRAINT "supervision_assignments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisors" ADD CONSTRAINT "supervisors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisors" ADD CONSTRAINT "supervisors_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employments_org" ON "employments" USING btree ("organization_id","peer_id");--> statement-breakpoint
CREATE INDEX "employments_peer" ON "employments" USING btree ("peer_id");--> statement-breakpoint
CREATE INDEX "organization_contracts_org" ON "organization_contracts" USING btree ("organization_id","delivery_system");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_organizations_npi" ON "provider_organizations" USING btree ("npi");--> statement-breakpoint
CREATE INDEX "provider_organizations_county" ON "provider_organizations" USING btree ("county_fips");--> statement-breakpoint
CREATE INDEX "supervision_assignments_supervisor" ON "supervision_assignments" USING btree ("supervisor_user_id","peer_id");--> statement-breakpoint
CREATE INDEX "supervision_assignments_peer" ON "supervision_assignments" USING btree ("peer_id");