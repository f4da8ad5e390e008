CREATE TABLE `provisioned_teams` (
	`configuration_id` text NOT NULL,
	`team_name` text NOT NULL,
	`remote_id` text NOT NULL,
	`members` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`configuration_id`, `team_name`),
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `team_mappings` (
	`configuration_id` text NOT NULL,
	`group_id` text NOT NULL,
	`team_name` text NOT NULL,
	PRIMARY KEY(`configuration_id`, `group_id`, `team_name`),
	FOREIGN KEY (`configuration_id`) REFERENCES `app_configurations`(`id`) ON UPDATE no action ON DELETE cascade
);
