CREATE TABLE "incident_self_heals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"host_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"run_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "incident_self_heals_host_idx" ON "incident_self_heals" USING btree ("host_id","at");--> statement-breakpoint
CREATE INDEX "incident_self_heals_run_idx" ON "incident_self_heals" USING btree ("run_id");