CREATE TABLE "tree_nodes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"path" text NOT NULL,
	"id_path" text NOT NULL,
	"depth" integer NOT NULL,
	"is_leaf" boolean DEFAULT false NOT NULL,
	"icon" text DEFAULT 'folder' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tree_nodes_parent_name_key" UNIQUE NULLS NOT DISTINCT("parent_id","name")
);
--> statement-breakpoint
ALTER TABLE "tree_nodes" ADD CONSTRAINT "tree_nodes_parent_id_tree_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."tree_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tree_nodes_id_path_idx" ON "tree_nodes" USING btree ("id_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "tree_nodes_path_idx" ON "tree_nodes" USING btree ("path" text_pattern_ops);