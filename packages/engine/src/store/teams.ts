import { eq } from 'drizzle-orm';
import { provisionedTeams, teamMappings, type AppDatabase } from '@autoprov/db';

/** E-13: the directory groups whose members make up the app's teams. */
export async function loadTeamMappings(db: AppDatabase, configurationId: string) {
  return await db.select().from(teamMappings).where(eq(teamMappings.configurationId, configurationId));
}

/** E-13: the teams autoprov keeps in the app, by name, with the members it last gave them. */
export async function loadProvisionedTeams(db: AppDatabase, configurationId: string) {
  return new Map(
    (await db
      .select()
      .from(provisionedTeams)
      .where(eq(provisionedTeams.configurationId, configurationId)))
      .map((t) => [t.teamName, t]),
  );
}

export async function saveProvisionedTeam(db: AppDatabase, team: { configurationId: string; teamName: string; remoteId: string; members: string[]; updatedAt: Date }) {
  await db.insert(provisionedTeams)
    .values(team)
    .onConflictDoUpdate({ target: [provisionedTeams.configurationId, provisionedTeams.teamName], set: team });
}
