CREATE TABLE "job_schedule_fires" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"run_id" uuid,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "job_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"template_id" uuid NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"enabled" boolean NOT NULL,
	"overlap" text NOT NULL,
	"misfire" text NOT NULL,
	"next_fire_at" timestamp with time zone,
	"queued" integer DEFAULT 0 NOT NULL,
	"last_fired_at" timestamp with time zone,
	"last_run_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_schedule_fires_schedule_idx" ON "job_schedule_fires" USING btree ("schedule_id","id");--> statement-breakpoint
CREATE INDEX "job_schedules_due_idx" ON "job_schedules" USING btree ("enabled","next_fire_at");