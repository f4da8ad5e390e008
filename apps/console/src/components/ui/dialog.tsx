import { Description, DialogBackdrop, DialogPanel, DialogTitle, Dialog as HeadlessDialog } from '@headlessui/react';
import type { ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal dialog (Headless UI): labelled by its title, focus moves to its first control and is kept
 * inside, Escape or a click outside closes it, and focus goes back to what opened it.
 */
export function Dialog({ open, title, onClose, children }: DialogProps) {
  return (
    // autoFocus off: focus goes to the first control (a form's first field, a confirmation's Cancel),
    // as a native modal dialog does, rather than to the dialog box itself.
    <HeadlessDialog open={open} onClose={onClose} autoFocus={false} className="dialog-root">
      <DialogBackdrop className="dialog-backdrop" />
      <div className="dialog-frame">
        <DialogPanel className="dialog">
          <DialogTitle as="h2">{title}</DialogTitle>
          {children}
        </DialogPanel>
      </div>
    </HeadlessDialog>
  );
}

interface ConfirmProps {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog({ open, title, message, confirmLabel, danger, pending, onConfirm, onClose }: ConfirmProps) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <Description as="div" className="dialog-body">
        {message}
      </Description>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} disabled={pending} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
