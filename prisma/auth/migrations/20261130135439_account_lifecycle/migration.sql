-- CreateEnum
CREATE TYPE "pyairtable_auth"."AccountTokenPurpose" AS ENUM ('verify_email', 'reset_password', 'change_email');

-- AlterTable
ALTER TABLE "pyairtable_auth"."users" ADD COLUMN     "email_verified_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "pyairtable_auth"."account_tokens" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "purpose" "pyairtable_auth"."AccountTokenPurpose" NOT NULL,
    "user_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pyairtable_auth"."processed_events" (
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_tokens_token_hash_key" ON "pyairtable_auth"."account_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "account_tokens_user_id_purpose_idx" ON "pyairtable_auth"."account_tokens"("user_id", "purpose");

-- CreateIndex
CREATE INDEX "processed_events_user_id_type_idx" ON "pyairtable_auth"."processed_events"("user_id", "type");

-- AddForeignKey
ALTER TABLE "pyairtable_auth"."account_tokens" ADD CONSTRAINT "account_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "pyairtable_auth"."users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
