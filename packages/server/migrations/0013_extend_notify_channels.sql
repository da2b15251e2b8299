CREATE TABLE "notify_outbound_policy" (
	"id" text PRIMARY KEY NOT NULL,
	"allow" jsonb NOT NULL,
	"deny" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "notify_deliveries_status_idx";--> statement-breakpoint
ALTER TABLE "notify_channels" ADD COLUMN "sealed_config" text;--> statement-breakpoint
ALTER TABLE "notify_channels" ADD COLUMN "rate_per_minute" integer;--> statement-breakpoint
ALTER TABLE "notify_channels" ADD COLUMN "template" jsonb;--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD COLUMN "log" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD COLUMN "digest_id" uuid;--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD COLUMN "claimed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD COLUMN "first_tried_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "notify_deliveries_window_idx" ON "notify_deliveries" USING btree ("channel_id","first_tried_at");--> statement-breakpoint
CREATE INDEX "notify_deliveries_status_idx" ON "notify_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
-- Webhook header values sealed before 0013 are kept, marked v0: (the service opens them the old way).
UPDATE "notify_channels" SET "sealed_config" = 'v0:' || "sealed_headers", "config" = "config" - 'headerNames' WHERE "sealed_headers" IS NOT NULL;--> statement-breakpoint
UPDATE "notify_channels" SET "config" = "config" - 'headerNames' WHERE "config" ? 'headerNames';--> statement-breakpoint
-- Deliveries still pending go to the new worker at once.
UPDATE "notify_deliveries" SET "next_attempt_at" = "created_at" WHERE "status" = 'pending';--> statement-breakpoint
ALTER TABLE "notify_channels" DROP COLUMN "sealed_headers";