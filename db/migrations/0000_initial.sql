CREATE TABLE `cost_records` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text NOT NULL,
	`energy_wh` real DEFAULT 0 NOT NULL,
	`gpu_hours` real DEFAULT 0 NOT NULL,
	`price_per_kwh` real NOT NULL,
	`currency` text NOT NULL,
	`cost` real DEFAULT 0 NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cost_records_job_idx` ON `cost_records` (`job_id`);--> statement-breakpoint
CREATE TABLE `dataset_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dataset_id` text NOT NULL,
	`row_index` integer NOT NULL,
	`line_number` integer,
	`original_json` text NOT NULL,
	`canonical_json` text,
	`valid` integer NOT NULL,
	`problems_json` text DEFAULT '[]' NOT NULL,
	`char_length` integer DEFAULT 0 NOT NULL,
	`token_count` integer,
	`turns` integer DEFAULT 0 NOT NULL,
	`content_hash` text,
	`tags_json` text DEFAULT '[]' NOT NULL,
	`split` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dataset_rows_position_idx` ON `dataset_rows` (`dataset_id`,`row_index`);--> statement-breakpoint
CREATE INDEX `dataset_rows_valid_idx` ON `dataset_rows` (`dataset_id`,`valid`);--> statement-breakpoint
CREATE INDEX `dataset_rows_hash_idx` ON `dataset_rows` (`dataset_id`,`content_hash`);--> statement-breakpoint
CREATE INDEX `dataset_rows_length_idx` ON `dataset_rows` (`dataset_id`,`char_length`);--> statement-breakpoint
CREATE TABLE `dataset_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`dataset_id` text NOT NULL,
	`version` integer NOT NULL,
	`file_path` text NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`row_count` integer NOT NULL,
	`train_count` integer NOT NULL,
	`val_count` integer NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dataset_versions_number_idx` ON `dataset_versions` (`dataset_id`,`version`);--> statement-breakpoint
CREATE TABLE `datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`format` text NOT NULL,
	`shape` text NOT NULL,
	`detection_json` text DEFAULT '{}' NOT NULL,
	`status` text NOT NULL,
	`source_name` text NOT NULL,
	`file_path` text,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`sha256` text,
	`row_count` integer DEFAULT 0 NOT NULL,
	`valid_count` integer DEFAULT 0 NOT NULL,
	`invalid_count` integer DEFAULT 0 NOT NULL,
	`stats_json` text DEFAULT '{}' NOT NULL,
	`options_json` text DEFAULT '{}' NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `datasets_list_idx` ON `datasets` (`deleted_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `metrics_points` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`name` text NOT NULL,
	`step` integer NOT NULL,
	`value` real,
	`ts` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `metrics_points_series_idx` ON `metrics_points` (`job_id`,`name`,`step`);--> statement-breakpoint
CREATE TABLE `model_artifacts` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`path` text NOT NULL,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`sha256` text,
	`base_model_path` text,
	`meta_json` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `model_artifacts_list_idx` ON `model_artifacts` (`deleted_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `model_artifacts_job_idx` ON `model_artifacts` (`job_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`job_id` text,
	`title` text NOT NULL,
	`body` text,
	`read_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `notifications_list_idx` ON `notifications` (`deleted_at`,`read_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value_json` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `training_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`dataset_version_id` text,
	`base_model_path` text NOT NULL,
	`config_json` text NOT NULL,
	`reproducibility_json` text DEFAULT '{}' NOT NULL,
	`status` text NOT NULL,
	`gpu_indices_json` text DEFAULT '[]' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`run_dir` text NOT NULL,
	`pid` integer,
	`process_start_time` integer,
	`events_offset` integer DEFAULT 0 NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`max_steps` integer,
	`progress` real DEFAULT 0 NOT NULL,
	`eta_seconds` real,
	`exit_code` integer,
	`exit_signal` text,
	`error` text,
	`resumed_from_job_id` text,
	`queued_at` integer,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`dataset_version_id`) REFERENCES `dataset_versions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `training_jobs_status_idx` ON `training_jobs` (`status`,`priority`,`queued_at`);--> statement-breakpoint
CREATE INDEX `training_jobs_list_idx` ON `training_jobs` (`deleted_at`,`created_at`);