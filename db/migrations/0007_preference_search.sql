-- Search text and roles of preference rows (prompt, chosen, rejected) and KTO rows (prompt,
-- completion), which the view of 0001 read as neither messages nor text. Chat and text rows are
-- indexed exactly as before; the FTS triggers select from the view, so they follow.
DROP VIEW IF EXISTS `dataset_rows_search_text`;
--> statement-breakpoint
CREATE VIEW `dataset_rows_search_text` AS
SELECT
  r.`id` AS `id`,
  r.`dataset_id` AS `dataset_id`,
  CASE
    WHEN r.`canonical_json` IS NOT NULL AND json_type(r.`canonical_json`, '$.messages') = 'array' THEN
      (SELECT group_concat(json_extract(m.`value`, '$.content'), char(10))
         FROM json_each(r.`canonical_json`, '$.messages') AS m)
    WHEN r.`canonical_json` IS NOT NULL AND json_type(r.`canonical_json`, '$.prompt') = 'array' THEN
      (SELECT group_concat(json_extract(m.`value`, '$.content'), char(10))
         FROM json_each(r.`canonical_json`) AS part, json_each(part.`value`) AS m
        WHERE part.`key` IN ('prompt', 'chosen', 'rejected', 'completion') AND part.`type` = 'array')
    WHEN r.`canonical_json` IS NOT NULL THEN json_extract(r.`canonical_json`, '$.text')
    WHEN json_valid(r.`original_json`) THEN
      (SELECT group_concat(t.`value`, char(10)) FROM json_tree(r.`original_json`) AS t WHERE t.`type` = 'text')
    ELSE r.`original_json`
  END AS `text`,
  CASE
    WHEN r.`canonical_json` IS NOT NULL AND json_type(r.`canonical_json`, '$.messages') = 'array' THEN
      (SELECT group_concat(DISTINCT json_extract(m.`value`, '$.role'))
         FROM json_each(r.`canonical_json`, '$.messages') AS m)
    WHEN r.`canonical_json` IS NOT NULL AND json_type(r.`canonical_json`, '$.prompt') = 'array' THEN
      (SELECT group_concat(DISTINCT json_extract(m.`value`, '$.role'))
         FROM json_each(r.`canonical_json`) AS part, json_each(part.`value`) AS m
        WHERE part.`key` IN ('prompt', 'chosen', 'rejected', 'completion') AND part.`type` = 'array')
    ELSE ''
  END AS `roles`
FROM `dataset_rows` AS r;
