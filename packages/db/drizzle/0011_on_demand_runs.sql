CREATE TABLE `run_exchanges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`method` text NOT NULL,
	`url` text NOT NULL,
	`request_headers` text NOT NULL,
	`request_body` text,
	`status` integer,
	`response_body` text,
	`duration_ms` integer NOT NULL,
	`error` text,
	FOREIGN KEY (`run_id`) REFERENCES `sync_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_exchanges_run_idx` ON `run_exchanges` (`run_id`,`seq`);--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `subject_user_id` text;