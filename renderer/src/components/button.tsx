import type { ButtonHTMLAttributes } from 'react';
import styles from './button.module.css';

/** Props of `Button`: a native button with a visual variant. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly variant?: 'primary' | 'secondary' | 'ghost';
}

/** The app's button (defaults to `type="button"` so it never submits a form by accident). */
export function Button({ variant = 'secondary', className, type = 'button', ...rest }: ButtonProps) {
  const classes = [styles.button, styles[variant], className].filter(Boolean).join(' ');
  return <button type={type} className={classes} {...rest} />;
}
