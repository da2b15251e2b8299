CREATE TABLE "agents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"host_id" uuid,
	"hostname" text NOT NULL,
	"machine_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"version" text DEFAULT '' NOT NULL,
	"facts_hash" text DEFAULT '' NOT NULL,
	"metrics" jsonb,
	"token_id" uuid,
	"enrolled_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "enrollment_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"node_id" uuid,
	"max_uses" integer NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "enrollment_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "exec_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"host_id" uuid NOT NULL,
	"hostname" text NOT NULL,
	"agent_id" uuid,
	"executor" text NOT NULL,
	"script" text NOT NULL,
	"request" jsonb NOT NULL,
	"sealed_env" text,
	"status" text NOT NULL,
	"exit_code" integer,
	"signal" text,
	"stdout" text DEFAULT '' NOT NULL,
	"stderr" text DEFAULT '' NOT NULL,
	"stdout_bytes" bigint DEFAULT 0 NOT NULL,
	"stderr_bytes" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "agents_hostname_idx" ON "agents" USING btree ("hostname");--> statement-breakpoint
CREATE INDEX "agents_host_idx" ON "agents" USING btree ("host_id");--> statement-breakpoint
CREATE INDEX "exec_tasks_agent_status_idx" ON "exec_tasks" USING btree ("agent_id","status");--> statement-breakpoint
CREATE INDEX "exec_tasks_host_idx" ON "exec_tasks" USING btree ("host_id","created_at");