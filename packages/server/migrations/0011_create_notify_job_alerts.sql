CREATE TABLE "notify_channels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"enabled" boolean NOT NULL,
	"config" jsonb NOT NULL,
	"sealed_headers" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notify_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel_id" uuid NOT NULL,
	"source" text NOT NULL,
	"title" text NOT NULL,
	"message" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "job_alert_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"template_id" uuid,
	"on" jsonb NOT NULL,
	"duration_over_sec" integer,
	"channel_ids" jsonb NOT NULL,
	"enabled" boolean NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_alerts_fired" (
	"rule_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	CONSTRAINT "job_alerts_fired_rule_id_run_id_kind_pk" PRIMARY KEY("rule_id","run_id","kind")
);
--> statement-breakpoint
CREATE INDEX "notify_deliveries_channel_idx" ON "notify_deliveries" USING btree ("channel_id","id");--> statement-breakpoint
CREATE INDEX "notify_deliveries_status_idx" ON "notify_deliveries" USING btree ("status");