-- Issue 10: a row's content hash becomes the first 8 bytes of its sha256 as a BLOB instead of 32 hex
-- characters (the first 16 of them are those 8 bytes, so duplicates found before are found after).
-- The column keeps its TEXT declaration (a BLOB is stored as it is under any affinity): changing it
-- would rebuild dataset_rows and lose the search triggers and indexes of migration 0001.
UPDATE `dataset_rows` SET `content_hash` = unhex(substr(`content_hash`, 1, 16))
WHERE typeof(`content_hash`) = 'text';
