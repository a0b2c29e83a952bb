import type { ApiBridge, Channel, ChannelInput, ChannelOutput } from '../../../preload/contract';
import { ApiCallError } from './api-call-error';
import type { ConnectionState, Transport } from './transport';

/** The renderer's one API client: the bridge, a throwing `call`, and the connection state. */
export interface ApiClient extends ApiBridge {
  readonly kind: Transport['kind'];
  /** Invoke a channel and return its value; throws `ApiCallError` on `ok: false`. */
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** Wraps a transport into the client the app uses. */
export function createApiClient(transport: Transport): ApiClient {
  return {
    kind: transport.kind,
    invoke: (channel, input) => transport.invoke(channel, input),
    on: (name, listener) => transport.on(name, listener),
    call: async (channel, input) => {
      const result = await transport.invoke(channel, input);
      if (!result.ok) throw new ApiCallError(channel, result.error);
      return result.value;
    },
    state: () => transport.state(),
    onState: (listener) => transport.onState(listener),
    close: () => transport.close(),
  };
}
