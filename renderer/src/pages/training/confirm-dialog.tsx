import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Button } from '../../components/button';
import styles from './confirm-dialog.module.css';

/** A modal question with a destructive confirm button (native <dialog>: focus trap and Escape for free). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={headingId}
      onClose={onClose}
      data-testid={testId}
    >
      <h2 id={headingId} className={styles.title}>
        {title}
      </h2>
      <div className={styles.body}>{children}</div>
      <div className={styles.actions}>
        <Button
          onClick={onClose}
          autoFocus
          data-testid={testId === undefined ? undefined : `${testId}-dismiss`}
        >
          Keep it
        </Button>
        <Button
          variant="primary"
          className={styles.danger}
          onClick={() => {
            onConfirm();
            onClose();
          }}
          data-testid={testId === undefined ? undefined : `${testId}-confirm`}
        >
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
