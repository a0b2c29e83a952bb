import { type CliContext, call, usageError } from './cli-context';

export const NOTIFICATIONS_USAGE = '  notifications list [--unread]          Show notifications';

/** `notifications list [--unread]`. */
export function notificationsCommand(ctx: CliContext, usage: string): Promise<void> {
  const [sub] = ctx.args;
  if (sub !== 'list' && sub !== undefined) throw usageError(`Unknown notifications command "${sub}"`, usage);
  return ctx.withCore(async (core) => {
    const list = await call(core, 'notifications.list', { unreadOnly: ctx.flags.unread });
    ctx.print(list, () =>
      list.length === 0
        ? 'No notifications.'
        : list
            .map((n) => `${n.read ? ' ' : '•'} ${new Date(n.createdAt).toISOString()}  ${n.title}`)
            .join('\n'),
    );
  });
}
