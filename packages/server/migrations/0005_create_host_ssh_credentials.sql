CREATE TABLE "host_ssh_credentials" (
	"host_id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"port" integer NOT NULL,
	"address" text,
	"auth_method" text NOT NULL,
	"sealed_secret" text NOT NULL,
	"host_key_sha256" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
