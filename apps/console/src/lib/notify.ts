import { toast } from 'sonner';

/** The one way a screen says what an action did (M-6): a toast that stays a few seconds. */
export const notify = {
  done: (message: string) => toast.success(message),
  failed: (message: string) => toast.error(message),
};
