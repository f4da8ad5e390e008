CREATE TABLE `admins` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_sign_in_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admins_email_unique` ON `admins` (`email`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`admin_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`user_agent` text,
	FOREIGN KEY (`admin_id`) REFERENCES `admins`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_admin_idx` ON `sessions` (`admin_id`);--> statement-breakpoint
CREATE TABLE `directory_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`occurred_at` integer NOT NULL,
	`actor_admin_id` text,
	`actor_label` text NOT NULL,
	`entity_kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`summary` text NOT NULL,
	`before` text,
	`after` text,
	FOREIGN KEY (`actor_admin_id`) REFERENCES `admins`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `directory_changes_entity_idx` ON `directory_changes` (`entity_kind`,`entity_id`);--> statement-breakpoint
CREATE TABLE `directory_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `directory_groups_email_idx` ON `directory_groups` (lower("email"));--> statement-breakpoint
CREATE TABLE `directory_users` (
	`id` text PRIMARY KEY NOT NULL,
	`primary_email` text NOT NULL,
	`given_name` text NOT NULL,
	`family_name` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`org_unit_id` text NOT NULL,
	`photo_url` text,
	`job_title` text,
	`department` text,
	`phone` text,
	`employee_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`org_unit_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `directory_users_email_idx` ON `directory_users` (lower("primary_email")) WHERE "directory_users"."status" <> 'deleted';--> statement-breakpoint
CREATE INDEX `directory_users_org_unit_idx` ON `directory_users` (`org_unit_id`);--> statement-breakpoint
CREATE INDEX `directory_users_name_idx` ON `directory_users` (`family_name`,`given_name`);--> statement-breakpoint
CREATE TABLE `domains` (
	`name` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `group_members` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text,
	`member_group_id` text,
	`external_email` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `directory_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `directory_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_group_id`) REFERENCES `directory_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "group_members_one_target" CHECK(("group_members"."kind" = 'user' and "group_members"."user_id" is not null and "group_members"."member_group_id" is null and "group_members"."external_email" is null)
        or ("group_members"."kind" = 'group' and "group_members"."member_group_id" is not null and "group_members"."user_id" is null and "group_members"."external_email" is null)
        or ("group_members"."kind" = 'external' and "group_members"."external_email" is not null and "group_members"."user_id" is null and "group_members"."member_group_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_members_user_idx` ON `group_members` (`group_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `group_members_group_idx` ON `group_members` (`group_id`,`member_group_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `group_members_external_idx` ON `group_members` (`group_id`,lower("external_email"));--> statement-breakpoint
CREATE INDEX `group_members_by_user_idx` ON `group_members` (`user_id`);--> statement-breakpoint
CREATE INDEX `group_members_by_member_group_idx` ON `group_members` (`member_group_id`);--> statement-breakpoint
CREATE TABLE `org_units` (
	`id` text PRIMARY KEY NOT NULL,
	`parent_id` text,
	`name` text NOT NULL,
	`path` text NOT NULL,
	`description` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `org_units`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `org_units_path_unique` ON `org_units` (`path`);--> statement-breakpoint
CREATE INDEX `org_units_parent_idx` ON `org_units` (`parent_id`);--> statement-breakpoint
CREATE TABLE `organisation` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
