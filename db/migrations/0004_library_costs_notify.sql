ALTER TABLE `cost_records` ADD `amortisation_cost` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cost_records` ADD `cloud_cost` real;--> statement-breakpoint
ALTER TABLE `cost_records` ADD `gpu_name` text;--> statement-breakpoint
ALTER TABLE `cost_records` ADD `final` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `cost_records_ended_idx` ON `cost_records` (`ended_at`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `event_key` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `dataset_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_event_key_idx` ON `notifications` (`event_key`);