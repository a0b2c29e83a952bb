import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import styles from './empty-state.module.css';

/** What an empty page shows: what is missing and what to do next. */
export function EmptyState({
  icon: Icon,
  title,
  children,
  testId,
}: {
  icon: LucideIcon;
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className={styles.empty} data-testid={testId} aria-label={title}>
      <Icon className={styles.icon} size={28} strokeWidth={1.5} aria-hidden="true" />
      <h2 className={styles.title}>{title}</h2>
      <div className={styles.body}>{children}</div>
    </section>
  );
}
