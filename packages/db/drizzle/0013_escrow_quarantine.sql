CREATE TABLE `configuration_health` (
	`configuration_id` text PRIMARY KEY NOT NULL,
	`failing_streak` integer DEFAULT 0 NOT NULL,
	`backoff_until` integer,
	`quarantined_at` integer,
	`quarantine_reason` text,
	`recent_errors` text DEFAULT '[]' NOT NULL,
	`probes` integer DEFAULT 0 NOT NULL,
	`last_probe_at` integer,
	`next_probe_at` integer,
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `escrowed_operations` (
	`configuration_id` text NOT NULL,
	`directory_user_id` text NOT NULL,
	`user_email` text NOT NULL,
	`operation` text NOT NULL,
	`kind` text NOT NULL,
	`fingerprint` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text NOT NULL,
	`first_failed_at` integer NOT NULL,
	`last_attempt_at` integer NOT NULL,
	`next_attempt_at` integer,
	PRIMARY KEY(`configuration_id`, `directory_user_id`),
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `escrowed_operations_due_idx` ON `escrowed_operations` (`configuration_id`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `sync_report_lines` ADD `attempt` integer;--> statement-breakpoint
ALTER TABLE `sync_report_lines` ADD `next_attempt_at` integer;