CREATE TABLE `configuration_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`app_key` text NOT NULL,
	`admin_label` text NOT NULL,
	`action` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `configuration_audit_app_idx` ON `configuration_audit` (`app_key`,`at`);--> statement-breakpoint
CREATE TABLE `pending_authorizations` (
	`state` text PRIMARY KEY NOT NULL,
	`configuration_id` text NOT NULL,
	`admin_id` text NOT NULL,
	`sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sso_settings` (
	`app_key` text PRIMARY KEY NOT NULL,
	`entity_id` text NOT NULL,
	`sso_url` text NOT NULL,
	`certificate` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `app_configurations` ADD `wizard_step` text DEFAULT 'authorize' NOT NULL;--> statement-breakpoint
ALTER TABLE `app_configurations` ADD `setup_completed_at` integer;