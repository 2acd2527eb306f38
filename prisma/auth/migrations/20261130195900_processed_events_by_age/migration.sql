-- CreateIndex
CREATE INDEX "processed_events_processed_at_idx" ON "pyairtable_auth"."processed_events"("processed_at");
