ALTER TABLE `app_configurations` ADD `drift_mode` text DEFAULT 'correct' NOT NULL;--> statement-breakpoint
ALTER TABLE `provisioned_accounts` ADD `origin` text DEFAULT 'created' NOT NULL;