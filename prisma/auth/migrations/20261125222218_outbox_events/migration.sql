-- CreateTable
CREATE TABLE "pyairtable_auth"."outbox_events" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_sequence_key" ON "pyairtable_auth"."outbox_events"("sequence");

-- CreateIndex
CREATE INDEX "outbox_events_published_at_sequence_idx" ON "pyairtable_auth"."outbox_events"("published_at", "sequence");
