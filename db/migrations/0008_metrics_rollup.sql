CREATE TABLE `metrics_rollup` (
	`job_id` text NOT NULL,
	`level` integer NOT NULL,
	`name` text NOT NULL,
	`attempt` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`value_count` integer NOT NULL,
	`sum` real NOT NULL,
	`first_step` integer NOT NULL,
	`last_step` integer NOT NULL,
	`ts_lo` integer NOT NULL,
	`ts_hi` integer NOT NULL,
	`min_value` real,
	`min_step` integer,
	`min_ts` integer,
	`max_value` real,
	`max_step` integer,
	`max_ts` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`job_id`, `level`, `name`, `attempt`, `bucket`),
	FOREIGN KEY (`job_id`) REFERENCES `training_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Back-fill: every job's public series (names not starting with `_`), the finest level from the points.
INSERT INTO `metrics_rollup` (`job_id`, `level`, `name`, `attempt`, `bucket`, `count`, `value_count`, `sum`, `first_step`, `last_step`, `ts_lo`, `ts_hi`, `min_value`, `min_step`, `min_ts`, `max_value`, `max_step`, `max_ts`, `created_at`, `updated_at`)
SELECT `job_id`, 5, `name`, `attempt`, `step` >> 5, COUNT(*), COUNT(`value`), TOTAL(`value`), MIN(`step`), MAX(`step`),
  MIN(`ts`), MAX(`ts`), NULL, NULL, NULL, NULL, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM `metrics_points` WHERE `name` NOT LIKE '\_%' ESCAPE '\' GROUP BY `job_id`, `name`, `attempt`, `step` >> 5;
--> statement-breakpoint
UPDATE `metrics_rollup` AS r SET (`min_value`, `min_step`, `min_ts`) = (SELECT p.`value`, p.`step`, p.`ts` FROM `metrics_points` p
    WHERE p.`job_id` = r.`job_id` AND p.`name` = r.`name` AND p.`attempt` = r.`attempt`
      AND p.`step` BETWEEN r.`first_step` AND r.`last_step` AND p.`value` IS NOT NULL ORDER BY p.`value` ASC, p.`step` LIMIT 1),
  (`max_value`, `max_step`, `max_ts`) = (SELECT p.`value`, p.`step`, p.`ts` FROM `metrics_points` p
    WHERE p.`job_id` = r.`job_id` AND p.`name` = r.`name` AND p.`attempt` = r.`attempt`
      AND p.`step` BETWEEN r.`first_step` AND r.`last_step` AND p.`value` IS NOT NULL ORDER BY p.`value` DESC, p.`step` LIMIT 1)
WHERE r.`level` = 5;
--> statement-breakpoint
INSERT INTO `metrics_rollup` (`job_id`, `level`, `name`, `attempt`, `bucket`, `count`, `value_count`, `sum`, `first_step`, `last_step`, `ts_lo`, `ts_hi`, `min_value`, `min_step`, `min_ts`, `max_value`, `max_step`, `max_ts`, `created_at`, `updated_at`)
SELECT `job_id`, 8, `name`, `attempt`, `bucket` >> 3, SUM(`count`), SUM(`value_count`), TOTAL(`sum`), MIN(`first_step`), MAX(`last_step`),
  MIN(`ts_lo`), MAX(`ts_hi`), NULL, NULL, NULL, NULL, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM `metrics_rollup` WHERE `level` = 5 GROUP BY `job_id`, `name`, `attempt`, `bucket` >> 3;
--> statement-breakpoint
UPDATE `metrics_rollup` AS r SET (`min_value`, `min_step`, `min_ts`) = (SELECT c.`min_value`, c.`min_step`, c.`min_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 5 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`min_value` IS NOT NULL
    ORDER BY c.`min_value` ASC, c.`min_step` LIMIT 1),
  (`max_value`, `max_step`, `max_ts`) = (SELECT c.`max_value`, c.`max_step`, c.`max_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 5 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`max_value` IS NOT NULL
    ORDER BY c.`max_value` DESC, c.`max_step` LIMIT 1)
WHERE r.`level` = 8;
--> statement-breakpoint
INSERT INTO `metrics_rollup` (`job_id`, `level`, `name`, `attempt`, `bucket`, `count`, `value_count`, `sum`, `first_step`, `last_step`, `ts_lo`, `ts_hi`, `min_value`, `min_step`, `min_ts`, `max_value`, `max_step`, `max_ts`, `created_at`, `updated_at`)
SELECT `job_id`, 11, `name`, `attempt`, `bucket` >> 3, SUM(`count`), SUM(`value_count`), TOTAL(`sum`), MIN(`first_step`), MAX(`last_step`),
  MIN(`ts_lo`), MAX(`ts_hi`), NULL, NULL, NULL, NULL, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM `metrics_rollup` WHERE `level` = 8 GROUP BY `job_id`, `name`, `attempt`, `bucket` >> 3;
--> statement-breakpoint
UPDATE `metrics_rollup` AS r SET (`min_value`, `min_step`, `min_ts`) = (SELECT c.`min_value`, c.`min_step`, c.`min_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 8 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`min_value` IS NOT NULL
    ORDER BY c.`min_value` ASC, c.`min_step` LIMIT 1),
  (`max_value`, `max_step`, `max_ts`) = (SELECT c.`max_value`, c.`max_step`, c.`max_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 8 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`max_value` IS NOT NULL
    ORDER BY c.`max_value` DESC, c.`max_step` LIMIT 1)
WHERE r.`level` = 11;
--> statement-breakpoint
INSERT INTO `metrics_rollup` (`job_id`, `level`, `name`, `attempt`, `bucket`, `count`, `value_count`, `sum`, `first_step`, `last_step`, `ts_lo`, `ts_hi`, `min_value`, `min_step`, `min_ts`, `max_value`, `max_step`, `max_ts`, `created_at`, `updated_at`)
SELECT `job_id`, 14, `name`, `attempt`, `bucket` >> 3, SUM(`count`), SUM(`value_count`), TOTAL(`sum`), MIN(`first_step`), MAX(`last_step`),
  MIN(`ts_lo`), MAX(`ts_hi`), NULL, NULL, NULL, NULL, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM `metrics_rollup` WHERE `level` = 11 GROUP BY `job_id`, `name`, `attempt`, `bucket` >> 3;
--> statement-breakpoint
UPDATE `metrics_rollup` AS r SET (`min_value`, `min_step`, `min_ts`) = (SELECT c.`min_value`, c.`min_step`, c.`min_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 11 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`min_value` IS NOT NULL
    ORDER BY c.`min_value` ASC, c.`min_step` LIMIT 1),
  (`max_value`, `max_step`, `max_ts`) = (SELECT c.`max_value`, c.`max_step`, c.`max_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 11 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`max_value` IS NOT NULL
    ORDER BY c.`max_value` DESC, c.`max_step` LIMIT 1)
WHERE r.`level` = 14;
--> statement-breakpoint
INSERT INTO `metrics_rollup` (`job_id`, `level`, `name`, `attempt`, `bucket`, `count`, `value_count`, `sum`, `first_step`, `last_step`, `ts_lo`, `ts_hi`, `min_value`, `min_step`, `min_ts`, `max_value`, `max_step`, `max_ts`, `created_at`, `updated_at`)
SELECT `job_id`, 17, `name`, `attempt`, `bucket` >> 3, SUM(`count`), SUM(`value_count`), TOTAL(`sum`), MIN(`first_step`), MAX(`last_step`),
  MIN(`ts_lo`), MAX(`ts_hi`), NULL, NULL, NULL, NULL, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM `metrics_rollup` WHERE `level` = 14 GROUP BY `job_id`, `name`, `attempt`, `bucket` >> 3;
--> statement-breakpoint
UPDATE `metrics_rollup` AS r SET (`min_value`, `min_step`, `min_ts`) = (SELECT c.`min_value`, c.`min_step`, c.`min_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 14 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`min_value` IS NOT NULL
    ORDER BY c.`min_value` ASC, c.`min_step` LIMIT 1),
  (`max_value`, `max_step`, `max_ts`) = (SELECT c.`max_value`, c.`max_step`, c.`max_ts` FROM `metrics_rollup` c
    WHERE c.`job_id` = r.`job_id` AND c.`level` = 14 AND c.`name` = r.`name` AND c.`attempt` = r.`attempt`
      AND c.`bucket` BETWEEN r.`bucket` << 3 AND (r.`bucket` << 3) + 7 AND c.`max_value` IS NOT NULL
    ORDER BY c.`max_value` DESC, c.`max_step` LIMIT 1)
WHERE r.`level` = 17;
