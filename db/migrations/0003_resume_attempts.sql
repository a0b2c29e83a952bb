DROP INDEX `metrics_points_series_idx`;--> statement-breakpoint
ALTER TABLE `metrics_points` ADD `attempt` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `metrics_points_series_idx` ON `metrics_points` (`job_id`,`name`,`step`,`attempt`);--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `attempt` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `training_jobs` ADD `earlier_attempts_ms` integer DEFAULT 0 NOT NULL;