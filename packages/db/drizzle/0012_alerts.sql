CREATE TABLE `alert_episodes` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`configuration_id` text NOT NULL,
	`app_key` text NOT NULL,
	`run_id` text,
	`message` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`deliveries` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_episodes_open_idx` ON `alert_episodes` (`configuration_id`,`kind`) WHERE "alert_episodes"."ended_at" is null;--> statement-breakpoint
CREATE INDEX `alert_episodes_started_idx` ON `alert_episodes` (`started_at`);--> statement-breakpoint
CREATE TABLE `alert_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`smtp_host` text DEFAULT '' NOT NULL,
	`smtp_port` integer DEFAULT 587 NOT NULL,
	`smtp_secure` integer DEFAULT false NOT NULL,
	`smtp_user` text DEFAULT '' NOT NULL,
	`sealed_smtp_password` text,
	`smtp_from` text DEFAULT '' NOT NULL,
	`recipients` text DEFAULT '' NOT NULL,
	`webhook_url` text DEFAULT '' NOT NULL,
	`sealed_webhook_secret` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
