ALTER TABLE `directory_groups` ADD `google_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `directory_groups_google_id_idx` ON `directory_groups` (`google_id`);--> statement-breakpoint
ALTER TABLE `directory_source` ADD `last_error_field` text;--> statement-breakpoint
ALTER TABLE `directory_users` ADD `google_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `directory_users_google_id_idx` ON `directory_users` (`google_id`);--> statement-breakpoint
ALTER TABLE `org_units` ADD `google_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `org_units_google_id_idx` ON `org_units` (`google_id`);