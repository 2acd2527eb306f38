-- CreateEnum
CREATE TYPE "pyairtable_workspaces"."OutgoingMailStatus" AS ENUM ('pending', 'sending', 'sent', 'failed');

-- CreateEnum
CREATE TYPE "pyairtable_workspaces"."MailDeliveryOutcome" AS ENUM ('sent', 'failed');

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."outgoing_mail" (
    "id" UUID NOT NULL,
    "recipient" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "html_body" TEXT NOT NULL,
    "status" "pyairtable_workspaces"."OutgoingMailStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outgoing_mail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pyairtable_workspaces"."mail_delivery_attempts" (
    "id" UUID NOT NULL,
    "mail_id" UUID NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" "pyairtable_workspaces"."MailDeliveryOutcome" NOT NULL,
    "error" TEXT,
    "smtp_response" TEXT,

    CONSTRAINT "mail_delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outgoing_mail_status_next_attempt_at_idx" ON "pyairtable_workspaces"."outgoing_mail"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "mail_delivery_attempts_mail_id_attempted_at_idx" ON "pyairtable_workspaces"."mail_delivery_attempts"("mail_id", "attempted_at");

-- AddForeignKey
ALTER TABLE "pyairtable_workspaces"."mail_delivery_attempts" ADD CONSTRAINT "mail_delivery_attempts_mail_id_fkey" FOREIGN KEY ("mail_id") REFERENCES "pyairtable_workspaces"."outgoing_mail"("id") ON DELETE CASCADE ON UPDATE CASCADE;
