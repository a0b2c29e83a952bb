import { useEffect, useState } from 'react';
import { useClient } from '../../../api/client-context';

/** A frozen dataset version a job can train on, labelled as a person recognises it. */
export interface FrozenVersionOption {
  readonly id: string;
  readonly label: string;
}

/** Every frozen version of every dataset, newest dataset first (refetched when datasets change). */
export function useFrozenVersions(): ReadonlyArray<FrozenVersionOption> {
  const client = useClient();
  const [options, setOptions] = useState<ReadonlyArray<FrozenVersionOption>>([]);
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const datasets = await client.call('datasets.list', {});
      const details = await Promise.all(
        datasets.filter((d) => d.versions > 0).map((d) => client.call('datasets.get', { id: d.id })),
      );
      if (!alive) return;
      setOptions(
        details.flatMap((d) =>
          d.versionList.map((v) => ({
            id: v.id,
            label: `${d.name} · v${v.version} · ${v.train.toLocaleString()} train / ${v.val.toLocaleString()} val`,
          })),
        ),
      );
    };
    void load().catch(() => undefined);
    const off = client.on('changed', (e) => {
      if (e.entity === 'datasets') void load().catch(() => undefined);
    });
    return () => {
      alive = false;
      off();
    };
  }, [client]);
  return options;
}
