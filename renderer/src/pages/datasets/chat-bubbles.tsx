import type { CanonicalRow } from '../../../../preload/contract';
import styles from './row-detail.module.css';

/** A canonical row as a conversation: one bubble per message, styled by role; or its plain text. */
export function ChatBubbles({ canonical }: { canonical: CanonicalRow }) {
  if ('text' in canonical) {
    return (
      <div className={styles.textBody} data-testid="row-text">
        {canonical.text}
      </div>
    );
  }
  if (canonical.messages.length === 0) return <p className={styles.muted}>The conversation is empty.</p>;
  return (
    <ol className={styles.bubbles} data-testid="row-bubbles">
      {canonical.messages.map((message, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: messages are positional
          key={i}
          className={`${styles.bubble} ${styles[message.role]}`}
          data-testid="row-bubble"
          data-role={message.role}
        >
          <span className={styles.role}>
            {message.role}
            {message.name !== undefined && ` · ${message.name}`}
            {message.tool_call_id !== undefined && ` · ${message.tool_call_id}`}
          </span>
          {message.content === '' ? (
            <span className={styles.emptyContent}>(empty)</span>
          ) : (
            <span className={styles.content}>{message.content}</span>
          )}
          {message.tool_calls !== undefined && message.tool_calls.length > 0 && (
            <pre className={styles.toolCalls}>{JSON.stringify(message.tool_calls, null, 2)}</pre>
          )}
        </li>
      ))}
    </ol>
  );
}
