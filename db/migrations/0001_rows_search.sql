-- Issue 3, curation: full-text search over dataset rows and indexes for the row browser.
--
-- dataset_rows_fts is contentless (the text stays in dataset_rows), keyed by dataset_rows.id, with
-- contentless_delete so an entry can be removed or replaced by rowid. detail=column keeps doclists
-- small (counting a million matches is what a search page costs); it rules out phrase queries, so
-- main/datasets/search-index.ts sends only single-token terms. prefix='3 4' serves the last typed
-- term as a prefix. There is deliberately no INSERT trigger: the importer indexes a dataset in
-- bulk with one INSERT ... SELECT (indexDatasetRows). Updates and deletes stay in sync here.
CREATE VIEW `dataset_rows_search_text` AS
SELECT
  r.`id` AS `id`,
  r.`dataset_id` AS `dataset_id`,
  CASE
    WHEN r.`canonical_json` IS NOT NULL AND json_type(r.`canonical_json`, '$.messages') = 'array' THEN
      (SELECT group_concat(json_extract(m.`value`, '$.content'), char(10))
         FROM json_each(r.`canonical_json`, '$.messages') AS m)
    WHEN r.`canonical_json` IS NOT NULL THEN json_extract(r.`canonical_json`, '$.text')
    WHEN json_valid(r.`original_json`) THEN
      (SELECT group_concat(t.`value`, char(10)) FROM json_tree(r.`original_json`) AS t WHERE t.`type` = 'text')
    ELSE r.`original_json`
  END AS `text`,
  CASE
    WHEN r.`canonical_json` IS NOT NULL AND json_type(r.`canonical_json`, '$.messages') = 'array' THEN
      (SELECT group_concat(DISTINCT json_extract(m.`value`, '$.role'))
         FROM json_each(r.`canonical_json`, '$.messages') AS m)
    ELSE ''
  END AS `roles`
FROM `dataset_rows` AS r;
--> statement-breakpoint
CREATE VIRTUAL TABLE `dataset_rows_fts` USING fts5(
  `text`, `roles`,
  content = '', contentless_delete = 1, detail = column, prefix = '3 4',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `dataset_rows_fts_after_update` AFTER UPDATE OF `canonical_json`, `original_json` ON `dataset_rows`
BEGIN
  DELETE FROM `dataset_rows_fts` WHERE `rowid` = old.`id`;
  INSERT INTO `dataset_rows_fts` (`rowid`, `text`, `roles`)
    SELECT `id`, `text`, `roles` FROM `dataset_rows_search_text` WHERE `id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_rows_fts_after_delete` AFTER DELETE ON `dataset_rows`
BEGIN
  DELETE FROM `dataset_rows_fts` WHERE `rowid` = old.`id`;
END;
--> statement-breakpoint
-- Keyed by id and covering every cheap filter: the row browser walks a dataset's id range (or
-- joins search matches by id) without ever reading the wide row records and their overflow pages.
CREATE INDEX `dataset_rows_state_idx` ON `dataset_rows`
  (`id`, `dataset_id`, `deleted_at`, `valid`, `split`, `char_length`, `turns`, `content_hash`);
--> statement-breakpoint
-- Live rows grouped by content hash: exact duplicates and the "duplicate" filter.
CREATE INDEX `dataset_rows_live_hash_idx` ON `dataset_rows` (`dataset_id`, `deleted_at`, `content_hash`);
--> statement-breakpoint
CREATE INDEX `dataset_rows_deleted_idx` ON `dataset_rows` (`dataset_id`, `id`) WHERE `deleted_at` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `dataset_rows_tagged_idx` ON `dataset_rows` (`dataset_id`, `deleted_at`, `id`, `tags_json`)
  WHERE `tags_json` <> '[]';
--> statement-breakpoint
CREATE INDEX `dataset_rows_problems_idx` ON `dataset_rows` (`dataset_id`, `deleted_at`, `id`, `problems_json`)
  WHERE `problems_json` <> '[]';
