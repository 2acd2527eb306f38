-- CreateIndex
CREATE INDEX "processed_events_processed_at_idx" ON "pyairtable_users"."processed_events"("processed_at");
