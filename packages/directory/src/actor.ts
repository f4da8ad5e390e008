/** Who made a change: an admin, or autoprov itself. */
export interface Actor {
  adminId: string | null;
  label: string;
}

export const systemActor: Actor = { adminId: null, label: 'autoprov' };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
