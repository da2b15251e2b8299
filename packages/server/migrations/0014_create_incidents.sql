CREATE TABLE "incident_grouping_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"match" jsonb NOT NULL,
	"group_by" jsonb NOT NULL,
	"window_minutes" integer NOT NULL,
	"order" integer NOT NULL,
	"enabled" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_alerts" (
	"incident_id" uuid NOT NULL,
	"alert_id" uuid NOT NULL,
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"firing" boolean NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_alerts_incident_id_alert_id_pk" PRIMARY KEY("incident_id","alert_id")
);
--> statement-breakpoint
CREATE TABLE "incident_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_timeline" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"actor" text,
	"text" text NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" bigserial NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"impact" text NOT NULL,
	"urgency" text NOT NULL,
	"priority" text NOT NULL,
	"source" text NOT NULL,
	"node_id" uuid,
	"integration_id" uuid,
	"assignee_id" uuid,
	"assignee_name" text,
	"escalation_policy_id" uuid,
	"esc_level" integer DEFAULT -1 NOT NULL,
	"esc_round" integer DEFAULT 0 NOT NULL,
	"esc_next_at" timestamp with time zone,
	"group_key" text,
	"group_until" timestamp with time zone,
	"alert_count" integer DEFAULT 0 NOT NULL,
	"firing_count" integer DEFAULT 0 NOT NULL,
	"notified_count" integer DEFAULT 0 NOT NULL,
	"notified_at" timestamp with time zone,
	"ack_due_at" timestamp with time zone NOT NULL,
	"resolve_due_at" timestamp with time zone NOT NULL,
	"ack_breached_at" timestamp with time zone,
	"resolve_breached_at" timestamp with time zone,
	"postmortem" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text
);
--> statement-breakpoint
CREATE INDEX "incident_alerts_alert_idx" ON "incident_alerts" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "incident_timeline_incident_idx" ON "incident_timeline" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_open_group_idx" ON "incidents" USING btree ("group_key") WHERE "incidents"."status" <> 'resolved' and "incidents"."group_key" is not null;--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","esc_next_at");--> statement-breakpoint
CREATE INDEX "incidents_node_idx" ON "incidents" USING btree ("node_id");