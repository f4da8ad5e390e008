CREATE TABLE `usage_event_days` (
	`day` text NOT NULL,
	`app_key` text NOT NULL,
	`kind` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `app_key`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `usage_events_app_kind_idx` ON `usage_events` (`app_key`,`kind`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `usage_events_user_idx` ON `usage_events` (`user_email`,`occurred_at`,`id`);--> statement-breakpoint
INSERT INTO `usage_event_days` (`day`, `app_key`, `kind`, `count`)
SELECT strftime('%Y-%m-%d', `occurred_at` / 1000, 'unixepoch'), `app_key`, `kind`, count(*) FROM `usage_events` GROUP BY 1, 2, 3;
