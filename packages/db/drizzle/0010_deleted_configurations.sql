DROP INDEX `app_configurations_app_key_unique`;--> statement-breakpoint
ALTER TABLE `app_configurations` ADD `deleted_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `app_configurations_live_app_key_idx` ON `app_configurations` (`app_key`) WHERE "app_configurations"."deleted_at" is null;