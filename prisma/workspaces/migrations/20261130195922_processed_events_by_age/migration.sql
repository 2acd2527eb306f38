-- CreateIndex
CREATE INDEX "processed_events_processed_at_idx" ON "pyairtable_workspaces"."processed_events"("processed_at");
