import type { ReactNode } from 'react';

/** A page outside the console's frame (sign-in, first run, errors): centred, in its own `main` landmark. */
export function Standalone({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="centered">
      {children}
    </main>
  );
}
