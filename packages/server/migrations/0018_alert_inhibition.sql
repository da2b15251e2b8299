CREATE TABLE "alert_inhibit_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" jsonb NOT NULL,
	"target" jsonb NOT NULL,
	"scope" text NOT NULL,
	"equal" jsonb NOT NULL,
	"enabled" boolean NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "inhibited_by" uuid;