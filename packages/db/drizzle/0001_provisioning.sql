CREATE TABLE `app_availability` (
	`app_key` text NOT NULL,
	`org_unit_id` text NOT NULL,
	`on` integer NOT NULL,
	PRIMARY KEY(`app_key`, `org_unit_id`),
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `app_configurations` (
	`id` text PRIMARY KEY NOT NULL,
	`app_key` text NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`endpoint_url` text,
	`sealed_credentials` text,
	`mapping` text DEFAULT '{}' NOT NULL,
	`deprovisioning` text,
	`held_run_id` text,
	`directory_cursor` integer DEFAULT 0 NOT NULL,
	`last_full_sync_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `app_configurations_app_key_unique` ON `app_configurations` (`app_key`);--> statement-breakpoint
CREATE TABLE `deprovision_timers` (
	`configuration_id` text NOT NULL,
	`directory_user_id` text NOT NULL,
	`trigger` text NOT NULL,
	`action` text NOT NULL,
	`due_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`configuration_id`, `directory_user_id`),
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deprovision_timers_due_idx` ON `deprovision_timers` (`due_at`);--> statement-breakpoint
CREATE TABLE `provisioned_accounts` (
	`configuration_id` text NOT NULL,
	`directory_user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`remote_id` text,
	`state` text DEFAULT 'active' NOT NULL,
	`last_sent` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`configuration_id`, `directory_user_id`),
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provisioned_accounts_remote_idx` ON `provisioned_accounts` (`configuration_id`,`remote_id`);--> statement-breakpoint
CREATE TABLE `scope_groups` (
	`configuration_id` text NOT NULL,
	`group_id` text NOT NULL,
	`access_level` text NOT NULL,
	PRIMARY KEY(`configuration_id`, `group_id`),
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_report_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`directory_user_id` text NOT NULL,
	`user_email` text NOT NULL,
	`action` text NOT NULL,
	`result` text NOT NULL,
	`changes` text,
	`reason` text,
	FOREIGN KEY (`run_id`) REFERENCES `sync_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_report_lines_run_idx` ON `sync_report_lines` (`run_id`,`result`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`configuration_id` text NOT NULL,
	`trigger` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`requested_at` integer NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`counts` text DEFAULT '{}' NOT NULL,
	`planned` integer DEFAULT 0 NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`error` text,
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_runs_configuration_idx` ON `sync_runs` (`configuration_id`,`requested_at`);--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`occurred_at` integer NOT NULL,
	`app_key` text NOT NULL,
	`kind` text NOT NULL,
	`directory_user_id` text,
	`user_email` text,
	`run_id` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `usage_events_time_idx` ON `usage_events` (`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `usage_events_kind_idx` ON `usage_events` (`kind`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `usage_events_app_idx` ON `usage_events` (`app_key`,`occurred_at`,`id`);