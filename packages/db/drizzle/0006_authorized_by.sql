ALTER TABLE `app_configurations` ADD `authorized_by` text;--> statement-breakpoint
ALTER TABLE `app_configurations` ADD `authorized_at` integer;