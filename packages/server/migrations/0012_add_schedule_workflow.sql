ALTER TABLE "job_schedules" ALTER COLUMN "template_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "job_schedules" ADD COLUMN "workflow_id" uuid;