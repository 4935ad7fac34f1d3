-- The registry's forgiving name search needs trigram similarity (PGlite loads the same extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "peers" ADD COLUMN "search_name" text GENERATED ALWAYS AS (lower(translate(legal_first_name || ' ' || coalesce(legal_middle_name, '') || ' ' || legal_last_name, 'ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçÝýÿ', 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuNnCcYyy'))) STORED;--> statement-breakpoint
CREATE INDEX "peers_search_name" ON "peers" USING gin ("search_name" gin_trgm_ops);