DROP INDEX `dataset_rows_valid_idx`;--> statement-breakpoint
DROP INDEX `dataset_rows_hash_idx`;--> statement-breakpoint
DROP INDEX `dataset_rows_length_idx`;