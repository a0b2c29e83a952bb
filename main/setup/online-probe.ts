import { connect } from 'node:net';

/** The hosts a first run needs: the Hub for base models, PyPI for the trainer's requirements. */
export const SETUP_HOSTS: ReadonlyArray<string> = ['huggingface.co', 'pypi.org'];

/** Whether a TCP connection to host:443 opens within `timeoutMs` (DNS included); never throws. */
export function canReach(host: string, timeoutMs = 2500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: 443 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Online means every host a first run needs answers. `HF_HUB_OFFLINE=1` (the Hugging Face
 * convention for air-gapped machines) means offline without asking the network.
 */
export async function probeOnline(
  env: NodeJS.ProcessEnv = process.env,
  hosts: ReadonlyArray<string> = SETUP_HOSTS,
): Promise<boolean> {
  if (/^(1|true|yes|on)$/i.test(env.HF_HUB_OFFLINE ?? '')) return false;
  const reached = await Promise.all(hosts.map((h) => canReach(h)));
  return reached.every(Boolean);
}
