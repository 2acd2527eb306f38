-- CreateEnum
CREATE TYPE "pyairtable_workspaces"."InvitationStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED');

-- AlterTable (edited by hand: accounts known before this migration get their email's local part as display
-- name, the default the users subgraph gives an account registered without one; no event told this subgraph
-- their names, and none will until the account registers again)
ALTER TABLE "pyairtable_workspaces"."directory_users" ADD COLUMN     "display_name" TEXT,
ADD COLUMN     "email_verified" BOOLEAN NOT NULL DEFAULT false;
UPDATE "pyairtable_workspaces"."directory_users"
SET "display_name" = COALESCE(NULLIF(regexp_replace("email", '@[^@]*$', ''), ''), "email");
ALTER TABLE "pyairtable_workspaces"."directory_users" ALTER COLUMN "display_name" SET NOT NULL;

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."invitations" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "pyairtable_workspaces"."WorkspaceRole" NOT NULL,
    "status" "pyairtable_workspaces"."InvitationStatus" NOT NULL DEFAULT 'PENDING',
    "token_hash" TEXT NOT NULL,
    "invited_by" UUID NOT NULL,
    "invited_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "responded_at" TIMESTAMPTZ(3),

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."outbox_events" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "pyairtable_workspaces"."invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_workspace_id_created_at_id_idx" ON "pyairtable_workspaces"."invitations"("workspace_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "invitations_email_created_at_idx" ON "pyairtable_workspaces"."invitations"("email", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "invitations_one_pending_per_email" ON "pyairtable_workspaces"."invitations"("workspace_id", "email") WHERE (status = 'PENDING');

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_sequence_key" ON "pyairtable_workspaces"."outbox_events"("sequence");

-- CreateIndex
CREATE INDEX "outbox_events_published_at_sequence_idx" ON "pyairtable_workspaces"."outbox_events"("published_at", "sequence");

-- AddForeignKey
ALTER TABLE "pyairtable_workspaces"."invitations" ADD CONSTRAINT "invitations_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "pyairtable_workspaces"."workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
