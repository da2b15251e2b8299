CREATE TABLE "command_guard_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"pattern" text NOT NULL,
	"action" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "script_versions" (
	"script_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"language" text NOT NULL,
	"content" text NOT NULL,
	"params" jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "script_versions_script_id_version_pk" PRIMARY KEY("script_id","version")
);
--> statement-breakpoint
CREATE TABLE "scripts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"node_id" uuid,
	"version" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_run_hosts" (
	"run_id" uuid NOT NULL,
	"host_id" uuid NOT NULL,
	"hostname" text NOT NULL,
	"ip" text,
	"seq" integer NOT NULL,
	"batch" integer NOT NULL,
	"status" text NOT NULL,
	"exit_code" integer,
	"task_id" uuid,
	"attempt" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "job_run_hosts_run_id_host_id_pk" PRIMARY KEY("run_id","host_id")
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"template_id" uuid,
	"script_id" uuid,
	"script_version" integer,
	"language" text NOT NULL,
	"content" text NOT NULL,
	"params" jsonb NOT NULL,
	"sealed_params" text,
	"secret_names" jsonb NOT NULL,
	"strategy" jsonb NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"first_batch_done" boolean DEFAULT false NOT NULL,
	"owner" text,
	"lease_until" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "job_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"script_id" uuid NOT NULL,
	"script_version" integer,
	"params" jsonb NOT NULL,
	"sealed_params" text,
	"targets" jsonb NOT NULL,
	"strategy" jsonb NOT NULL,
	"node_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "scripts_name_idx" ON "scripts" USING btree ("name");--> statement-breakpoint
CREATE INDEX "scripts_node_idx" ON "scripts" USING btree ("node_id");--> statement-breakpoint
CREATE INDEX "job_run_hosts_status_idx" ON "job_run_hosts" USING btree ("run_id","status","seq");--> statement-breakpoint
CREATE INDEX "job_run_hosts_task_idx" ON "job_run_hosts" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "job_runs_status_idx" ON "job_runs" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "job_runs_template_idx" ON "job_runs" USING btree ("template_id","id");--> statement-breakpoint
CREATE INDEX "job_templates_name_idx" ON "job_templates" USING btree ("name");