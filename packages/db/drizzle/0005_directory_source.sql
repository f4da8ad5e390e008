CREATE TABLE `directory_source` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text DEFAULT 'built_in' NOT NULL,
	`sealed_key` text,
	`client_email` text,
	`client_id` text,
	`admin_email` text,
	`primary_domain` text,
	`change_cursor` text,
	`connected_at` integer,
	`last_full_read_at` integer,
	`last_change_read_at` integer,
	`last_error` text,
	`last_error_at` integer
);
