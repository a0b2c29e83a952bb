/** Why a serve-mode connection cannot be re-established, as far as a plain HTTP request can tell. */
export type ServerProbe = 'reachable' | 'unauthorized' | 'unreachable';

/**
 * Asks the page's own server (HEAD /, cookie included) whether it answers and still accepts our
 * token. A browser WebSocket only reports "closed" (1006) when the upgrade is refused, so this is how
 * the app tells "server down" from "server restarted with a new token".
 */
export async function probeServer(origin: string = location.origin): Promise<ServerProbe> {
  try {
    const response = await fetch(`${origin}/`, {
      method: 'HEAD',
      cache: 'no-store',
      credentials: 'same-origin',
    });
    return response.status === 401 ? 'unauthorized' : 'reachable';
  } catch {
    return 'unreachable';
  }
}
