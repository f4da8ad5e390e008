/** A form's way back and its submit button ("Back"/"Continue" in the wizard, "Cancel"/"Update" when editing). */
export function FormActions({
  onBack,
  backLabel = 'Back',
  submitLabel = 'Continue',
  pending,
  disabled,
}: {
  onBack: () => void;
  backLabel?: string;
  submitLabel?: string;
  pending?: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="actions start">
      <button type="button" className="secondary" onClick={onBack}>
        {backLabel}
      </button>
      <button type="submit" className="primary" disabled={pending || disabled}>
        {pending ? 'Saving…' : submitLabel}
      </button>
    </div>
  );
}
