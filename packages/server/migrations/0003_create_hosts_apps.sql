-- Trigram indexes for substring search; pg_trgm is a trusted extension (PostgreSQL 13+), PGlite loads it at open.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "host_bindings" (
	"host_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "host_bindings_host_id_node_id_pk" PRIMARY KEY("host_id","node_id")
);
--> statement-breakpoint
CREATE TABLE "hosts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"ips" text[] NOT NULL,
	"search_text" text NOT NULL,
	"os" text DEFAULT '' NOT NULL,
	"cpu_cores" integer,
	"memory_mb" integer,
	"disks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'unknown' NOT NULL,
	"source" text NOT NULL,
	"owner_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hosts_hostname_key" UNIQUE("hostname")
);
--> statement-breakpoint
CREATE TABLE "apps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"node_id" uuid,
	"description" text DEFAULT '' NOT NULL,
	"owner_ids" uuid[] DEFAULT '{}' NOT NULL,
	"repo_url" text DEFAULT '' NOT NULL,
	"runtime" text DEFAULT 'host' NOT NULL,
	"ports" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "apps_node_name_key" UNIQUE("node_id","name")
);
--> statement-breakpoint
ALTER TABLE "tree_nodes" ADD COLUMN "host_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "host_bindings" ADD CONSTRAINT "host_bindings_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_bindings" ADD CONSTRAINT "host_bindings_node_id_tree_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."tree_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosts" ADD CONSTRAINT "hosts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apps" ADD CONSTRAINT "apps_node_id_tree_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."tree_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "host_bindings_node_idx" ON "host_bindings" USING btree ("node_id","host_id");--> statement-breakpoint
CREATE INDEX "hosts_search_trgm_idx" ON "hosts" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "hosts_status_hostname_idx" ON "hosts" USING btree ("status","hostname");--> statement-breakpoint
CREATE INDEX "apps_name_idx" ON "apps" USING btree ("name");--> statement-breakpoint
CREATE INDEX "tree_nodes_path_trgm_idx" ON "tree_nodes" USING gin ("path" gin_trgm_ops);