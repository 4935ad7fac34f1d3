CREATE TABLE "behavioral_health_plans" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "counties" (
	"fips" char(5) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"plan_code" text NOT NULL,
	CONSTRAINT "counties_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "delivery_systems" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participation_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_fips" char(5) NOT NULL,
	"delivery_system" text NOT NULL,
	"effective_on" date NOT NULL,
	"participating" boolean NOT NULL,
	"source" text NOT NULL,
	"reason" text NOT NULL,
	"import_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participation_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"effective_on" date NOT NULL,
	"source" text NOT NULL,
	"stated_count" integer,
	"listed_count" integer NOT NULL,
	"warnings" jsonb NOT NULL,
	"content_sha256" char(64) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "counties" ADD CONSTRAINT "counties_plan_code_behavioral_health_plans_code_fk" FOREIGN KEY ("plan_code") REFERENCES "public"."behavioral_health_plans"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation_changes" ADD CONSTRAINT "participation_changes_county_fips_counties_fips_fk" FOREIGN KEY ("county_fips") REFERENCES "public"."counties"("fips") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation_changes" ADD CONSTRAINT "participation_changes_delivery_system_delivery_systems_code_fk" FOREIGN KEY ("delivery_system") REFERENCES "public"."delivery_systems"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation_changes" ADD CONSTRAINT "participation_changes_import_id_participation_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."participation_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participation_changes_lookup" ON "participation_changes" USING btree ("county_fips","delivery_system","effective_on","recorded_at");--> statement-breakpoint
CREATE INDEX "participation_changes_as_of" ON "participation_changes" USING btree ("effective_on");