import { X } from 'lucide-react';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import styles from './dialog.module.css';

/** Props of `Dialog`. */
export interface DialogProps {
  readonly title: ReactNode;
  /** Called on Escape, on the close button and on a click on the backdrop. */
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Buttons along the bottom, right-aligned. */
  readonly footer?: ReactNode;
  readonly testId?: string;
  readonly size?: 'small' | 'medium' | 'large';
}

/**
 * A modal dialog on the native `<dialog>` element: focus is trapped and restored by the browser and
 * Escape closes it. Render it only while it is open: it opens when mounted and closes when unmounted.
 */
export function Dialog({ title, onClose, children, footer, testId, size = 'medium' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={`${styles.dialog} ${styles[size]}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        // The browser would close the element itself; the parent owns whether it stays mounted.
        event.preventDefault();
        onCloseRef.current();
      }}
      onMouseDown={(event) => {
        if (event.target === ref.current) onCloseRef.current();
      }}
    >
      <div className={styles.frame}>
        <header className={styles.head}>
          <h2 id={titleId} className={styles.title}>
            {title}
          </h2>
          <button
            type="button"
            className={styles.close}
            onClick={() => onCloseRef.current()}
            aria-label="Close"
            data-testid={testId === undefined ? undefined : `${testId}-close`}
          >
            <X size={15} aria-hidden="true" />
          </button>
        </header>
        <div className={styles.body}>{children}</div>
        {footer !== undefined && <footer className={styles.footer}>{footer}</footer>}
      </div>
    </dialog>
  );
}
