CREATE TABLE `account` (
	`id` integer PRIMARY KEY NOT NULL,
	`account_key` text NOT NULL,
	`admin_email` text NOT NULL,
	`admin_password_hash` text NOT NULL,
	`signing_jwk` text NOT NULL,
	`cookie_key` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `admin_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`csrf_token` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`members` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `oidc_store` (
	`model` text NOT NULL,
	`id` text NOT NULL,
	`payload` text NOT NULL,
	`grant_id` text,
	`uid` text,
	`user_code` text,
	`expires_at` integer,
	`consumed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oidc_store_pk` ON `oidc_store` (`model`,`id`);--> statement-breakpoint
CREATE INDEX `oidc_store_grant_idx` ON `oidc_store` (`grant_id`);--> statement-breakpoint
CREATE INDEX `oidc_store_uid_idx` ON `oidc_store` (`uid`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`set_password_token` text NOT NULL,
	`token_used_at` integer,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_set_password_token_unique` ON `outbox` (`set_password_token`);--> statement-breakpoint
CREATE TABLE `user_passwords` (
	`user_id` text PRIMARY KEY NOT NULL,
	`password_hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`user_name` text NOT NULL,
	`resource` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`product_access` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_user_name_idx` ON `users` (lower("user_name"));--> statement-breakpoint
CREATE TABLE `verified_domains` (
	`name` text PRIMARY KEY NOT NULL
);
