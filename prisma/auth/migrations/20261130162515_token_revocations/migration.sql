-- CreateTable
CREATE TABLE "pyairtable_auth"."token_revocations" (
    "id" BIGSERIAL NOT NULL,
    "session_id" UUID,
    "user_id" UUID,
    "issued_before" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "token_revocations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "token_revocations_created_at_idx" ON "pyairtable_auth"."token_revocations"("created_at");

-- CreateIndex
CREATE INDEX "token_revocations_expires_at_idx" ON "pyairtable_auth"."token_revocations"("expires_at");
