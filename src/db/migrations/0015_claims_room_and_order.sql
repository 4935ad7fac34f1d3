-- A claim's state changes are numbered by a sequence: changes made in one transaction share a time, and the number
-- keeps their order; a million of them (a file written, a remittance posted) append to the key's index instead of
-- landing on random pages of it. The table is only ever appended to, so its rows lie in the order they were made,
-- and that is the order the new numbers follow.
ALTER TABLE "claim_state_changes" DROP CONSTRAINT "claim_state_changes_pkey";--> statement-breakpoint
ALTER TABLE "claim_state_changes" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "claim_state_changes" ADD COLUMN "id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "claim_state_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
-- Every claim of a batch is updated in one transaction when its file is written and again when its remittance is
-- posted, every line once: the new version of a row stays on its page (HOT, no index touched) only if the page has
-- room for it while the old version is still there. At 70 most of a whole batch's updates found no room.
ALTER TABLE "claims" SET (fillfactor = 45);--> statement-breakpoint
ALTER TABLE "claim_lines" SET (fillfactor = 45);
