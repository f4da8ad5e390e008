import { newToken, sameToken } from './tokens.js';

/**
 * The one-time secret of the first-run link: whoever opens the printed link first becomes the
 * super-admin, and nobody else on the network can. It lives in memory: a restart prints a new one.
 */
export class SetupToken {
  private token: string | null = newToken();

  get value(): string | null {
    return this.token;
  }

  matches(candidate: string): boolean {
    return this.token != null && sameToken(candidate, this.token);
  }

  consume(): void {
    this.token = null;
  }
}
