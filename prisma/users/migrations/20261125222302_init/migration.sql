-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "pyairtable_users";

-- CreateTable
CREATE TABLE "pyairtable_users"."profiles" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "avatar_url" TEXT,
    "bio" TEXT,
    "timezone" TEXT,
    "registered_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "profiles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pyairtable_users"."processed_events" (
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "profiles_registered_at_id_idx" ON "pyairtable_users"."profiles"("registered_at", "id");

-- CreateIndex
CREATE INDEX "processed_events_user_id_type_idx" ON "pyairtable_users"."processed_events"("user_id", "type");
