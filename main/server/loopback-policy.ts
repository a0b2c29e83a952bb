/** Addresses serve mode may bind: loopback only, so nothing off this machine can connect. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1'] as const;
export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];

/** Whether `host` is one of the loopback addresses serve mode accepts to bind. */
export function isLoopbackHost(host: string): host is LoopbackHost {
  return (LOOPBACK_HOSTS as ReadonlyArray<string>).includes(host);
}

/** The three spellings of this server's authority a browser may legitimately use. */
export function allowedAuthorities(port: number): ReadonlyArray<string> {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** Whether a `Host` header names this server (anything else is a DNS-rebinding attempt). */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false;
  return allowedAuthorities(port).includes(hostHeader.toLowerCase());
}

/** Whether an `Origin` header is one of this server's own origins. */
export function isAllowedOrigin(origin: string, port: number): boolean {
  return allowedAuthorities(port).some((authority) => origin.toLowerCase() === `http://${authority}`);
}

/** How the printed URL writes a host (IPv6 literals need brackets). */
export function urlHost(host: LoopbackHost): string {
  return host === '::1' ? '[::1]' : host;
}
