CREATE TABLE "oncall_escalation_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"levels" jsonb NOT NULL,
	"repeat" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_overrides" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_routing_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"match" jsonb NOT NULL,
	"escalation_policy_id" uuid NOT NULL,
	"continue_matching" boolean DEFAULT false NOT NULL,
	"self_heal" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"time_zone" text NOT NULL,
	"team_id" uuid,
	"layers" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_user_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"contact" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oncall_overrides" ADD CONSTRAINT "oncall_overrides_schedule_id_oncall_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."oncall_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oncall_routing_rules" ADD CONSTRAINT "oncall_routing_rules_escalation_policy_id_oncall_escalation_policies_id_fk" FOREIGN KEY ("escalation_policy_id") REFERENCES "public"."oncall_escalation_policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oncall_user_settings" ADD CONSTRAINT "oncall_user_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oncall_overrides_schedule_idx" ON "oncall_overrides" USING btree ("schedule_id","end_at");--> statement-breakpoint
CREATE INDEX "oncall_routing_rules_order_idx" ON "oncall_routing_rules" USING btree ("sort_order","id");--> statement-breakpoint
CREATE INDEX "oncall_routing_rules_policy_idx" ON "oncall_routing_rules" USING btree ("escalation_policy_id");--> statement-breakpoint
CREATE INDEX "oncall_schedules_team_idx" ON "oncall_schedules" USING btree ("team_id","id");