import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, Channel, ChannelInput, ChannelOutput, Entity } from '../../../preload/contract';
import { toApiError } from './api-call-error';
import { useClient } from './client-context';

/** The latest answer of a channel, its error, and a reload. */
export interface ChannelState<C extends Channel> {
  readonly value: ChannelOutput<C> | null;
  readonly error: ApiError | null;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Call a channel and keep its answer, calling it again whenever the core says one of `entities`
 * changed. `input` is compared by its JSON, so an inline object literal does not refetch.
 * `null` input skips the call.
 */
export function useChannel<C extends Channel>(
  channel: C,
  input: ChannelInput<C> | null,
  entities: ReadonlyArray<Entity>,
): ChannelState<C> {
  const client = useClient();
  const [value, setValue] = useState<ChannelOutput<C> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(input);
  const entityKey = entities.join(',');
  const generation = useRef(0);
  const load = useCallback(() => {
    if (key === 'null') return;
    const mine = ++generation.current;
    setLoading(true);
    client.call(channel, JSON.parse(key) as ChannelInput<C>).then(
      (answer) => {
        if (mine !== generation.current) return;
        setValue(answer);
        setError(null);
        setLoading(false);
      },
      (caught: unknown) => {
        if (mine !== generation.current) return;
        setError(toApiError(caught));
        setLoading(false);
      },
    );
  }, [client, channel, key]);
  useEffect(() => {
    load();
    const watched = new Set(entityKey.split(','));
    const off = client.on('changed', (e) => {
      if (watched.has(e.entity)) load();
    });
    return () => {
      generation.current += 1;
      off();
    };
  }, [client, load, entityKey]);
  return { value, error, loading, reload: load };
}
