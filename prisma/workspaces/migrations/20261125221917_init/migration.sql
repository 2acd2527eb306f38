-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "pyairtable_workspaces";

-- CreateEnum
CREATE TYPE "pyairtable_workspaces"."WorkspaceRole" AS ENUM ('OWNER', 'ADMIN', 'EDITOR', 'COMMENTER', 'VIEWER');

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."workspaces" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."memberships" (
    "workspace_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "pyairtable_workspaces"."WorkspaceRole" NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("workspace_id","user_id")
);

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."directory_users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "directory_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."processed_events" (
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "memberships_workspace_id_joined_at_user_id_idx" ON "pyairtable_workspaces"."memberships"("workspace_id", "joined_at" DESC, "user_id" DESC);

-- CreateIndex
CREATE INDEX "memberships_workspace_id_role_idx" ON "pyairtable_workspaces"."memberships"("workspace_id", "role");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "pyairtable_workspaces"."memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "directory_users_email_key" ON "pyairtable_workspaces"."directory_users"("email");

-- AddForeignKey
ALTER TABLE "pyairtable_workspaces"."memberships" ADD CONSTRAINT "memberships_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "pyairtable_workspaces"."workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
