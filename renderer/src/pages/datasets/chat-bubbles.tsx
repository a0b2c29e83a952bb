import type { CanonicalMessage, CanonicalRow, ToolDefinition } from '../../../../preload/contract';
import styles from './row-detail.module.css';

/** Messages as bubbles, one per message, styled by role. */
function Bubbles({ messages, testId = 'row-bubbles' }: { messages: CanonicalMessage[]; testId?: string }) {
  if (messages.length === 0) return <p className={styles.muted}>No messages.</p>;
  return (
    <ol className={styles.bubbles} data-testid={testId}>
      {messages.map((message, i) => (
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
            <pre className={styles.toolCalls} data-testid="row-tool-calls">
              {message.tool_calls
                .map((c) => `${c.function.name}(${JSON.stringify(c.function.arguments)})`)
                .join('\n')}
            </pre>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The tools a conversation may call, by name, with their definitions on hover. */
function Tools({ tools }: { tools: ToolDefinition[] | undefined }) {
  if (!tools || tools.length === 0) return null;
  return (
    <p className={styles.muted} data-testid="row-tools">
      Tools:{' '}
      {tools.map((t, i) => (
        <code key={t.function.name} title={JSON.stringify(t.function, null, 2)}>
          {i > 0 ? ', ' : ''}
          {t.function.name}
        </code>
      ))}
    </p>
  );
}

/** One answer of a preference pair or a KTO row, headed by what it is. */
function Answer({
  title,
  messages,
  testId,
}: {
  title: string;
  messages: CanonicalMessage[];
  testId: string;
}) {
  return (
    <section className={styles.answer} data-testid={testId}>
      <h4 className={styles.answerTitle}>{title}</h4>
      <Bubbles messages={messages} testId={`${testId}-bubbles`} />
    </section>
  );
}

/**
 * A canonical row as people read it: a conversation as bubbles (with its tools); a preference
 * pair as its prompt, then the chosen and the rejected answer side by side; a KTO row as its prompt
 * and its answer, marked desirable or not; or its plain text.
 */
export function ChatBubbles({ canonical }: { canonical: CanonicalRow }) {
  if ('text' in canonical) {
    return (
      <div className={styles.textBody} data-testid="row-text">
        {canonical.text}
      </div>
    );
  }
  if ('messages' in canonical) {
    if (canonical.messages.length === 0) return <p className={styles.muted}>The conversation is empty.</p>;
    return (
      <>
        <Tools tools={canonical.tools} />
        <Bubbles messages={canonical.messages} />
      </>
    );
  }
  return (
    <>
      <Tools tools={canonical.tools} />
      <Bubbles messages={canonical.prompt} testId="row-prompt" />
      {'chosen' in canonical ? (
        <div className={styles.answers} data-testid="row-pair">
          <Answer title="Chosen" messages={canonical.chosen} testId="row-chosen" />
          <Answer title="Rejected" messages={canonical.rejected} testId="row-rejected" />
        </div>
      ) : (
        <div className={styles.answers}>
          <Answer
            title={canonical.label ? 'Completion · desirable' : 'Completion · undesirable'}
            messages={canonical.completion}
            testId={canonical.label ? 'row-desirable' : 'row-undesirable'}
          />
        </div>
      )}
    </>
  );
}
