CREATE TABLE `gpu_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`gpu_index` integer NOT NULL,
	`ts` integer NOT NULL,
	`utilization_pct` real,
	`memory_used_mb` real,
	`memory_total_mb` real,
	`temperature_c` real,
	`power_draw_w` real,
	`power_limit_w` real,
	`sm_clock_mhz` real,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `gpu_samples_job_ts_idx` ON `gpu_samples` (`job_id`,`ts`);