CREATE TABLE "alert_integrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"enabled" boolean NOT NULL,
	"severity_map" jsonb NOT NULL,
	"default_severity" text NOT NULL,
	"webhook_mapping" jsonb,
	"rate_limit" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"key_rotated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_integrations_name_key" UNIQUE("name"),
	CONSTRAINT "alert_integrations_key_hash_key" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "alert_payloads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"integration_id" uuid NOT NULL,
	"body" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_rejected_payloads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"integration_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"body" text NOT NULL,
	"truncated" boolean NOT NULL,
	"bytes" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_silences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"matchers" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"recurrence" jsonb,
	"comment" text NOT NULL,
	"created_by" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"integration_id" uuid,
	"status" text NOT NULL,
	"severity" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"source" text NOT NULL,
	"host_id" uuid,
	"node_id" uuid,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"count" integer NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"silenced_by" uuid,
	"acked_by" text,
	"acked_at" timestamp with time zone,
	"payload_id" uuid
);
--> statement-breakpoint
ALTER TABLE "alert_rejected_payloads" ADD CONSTRAINT "alert_rejected_payloads_integration_id_alert_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."alert_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_integration_id_alert_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."alert_integrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_rejected_integration_idx" ON "alert_rejected_payloads" USING btree ("integration_id","id");--> statement-breakpoint
CREATE INDEX "alert_silences_ends_idx" ON "alert_silences" USING btree ("ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_firing_fingerprint_idx" ON "alerts" USING btree ("fingerprint") WHERE "alerts"."status" = 'firing';--> statement-breakpoint
CREATE INDEX "alerts_last_seen_idx" ON "alerts" USING btree ("last_seen_at","id");--> statement-breakpoint
CREATE INDEX "alerts_status_last_seen_idx" ON "alerts" USING btree ("status","last_seen_at","id");--> statement-breakpoint
CREATE INDEX "alerts_integration_idx" ON "alerts" USING btree ("integration_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "alerts_node_idx" ON "alerts" USING btree ("node_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "alerts_host_idx" ON "alerts" USING btree ("host_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "alerts_payload_idx" ON "alerts" USING btree ("payload_id");