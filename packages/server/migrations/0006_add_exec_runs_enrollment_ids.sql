ALTER TABLE "agents" ADD COLUMN "enrollment_id" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "connected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "exec_tasks" ADD COLUMN "run_id" uuid;--> statement-breakpoint
UPDATE "exec_tasks" SET "run_id" = "id" WHERE "run_id" IS NULL;--> statement-breakpoint
ALTER TABLE "exec_tasks" ALTER COLUMN "run_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "exec_tasks_run_idx" ON "exec_tasks" USING btree ("run_id","id");--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_enrollment_id_unique" UNIQUE("enrollment_id");
