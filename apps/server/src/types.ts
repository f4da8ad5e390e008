import type { Logger } from 'pino';
import type { SignedInAdmin } from '@autoprov/contract';

export interface CurrentSession {
  id: string;
  admin: SignedInAdmin;
  csrfToken: string;
  twoFactor: { enabled: boolean; setupRequired: boolean };
}

export interface AppEnv {
  Variables: {
    logger: Logger;
    session: CurrentSession | null;
  };
}
