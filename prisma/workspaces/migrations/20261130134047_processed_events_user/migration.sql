-- AlterTable
ALTER TABLE "pyairtable_workspaces"."processed_events" ADD COLUMN     "user_id" UUID;
