import { useEffect, useState } from 'react';
import { useClient } from '../../../api/client-context';

/** A dataset version a job can train on, labelled as a person recognises it. */
export interface FrozenVersionOption {
  readonly id: string;
  readonly label: string;
  /** For the picker: dataset name, version (null: current rows, frozen when the job is queued), rows, date. */
  readonly datasetName?: string;
  readonly version?: number | null;
  readonly rows?: number;
  readonly at?: number;
}

/**
 * Every frozen version of every dataset, newest dataset first, and for each ready dataset never
 * frozen its current rows (the dataset id: jobs.create freezes version 1 for it). Refetched when
 * datasets change.
 */
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
      const frozen = new Map(details.map((d) => [d.id, d]));
      setOptions(
        datasets.flatMap((summary): FrozenVersionOption[] => {
          const d = frozen.get(summary.id);
          if (d === undefined) {
            if (summary.status !== 'ready' || summary.valid === 0) return [];
            return [
              {
                id: summary.id,
                label: `${summary.name} · current rows (frozen as v1 when the job is queued)`,
                datasetName: summary.name,
                version: null,
                rows: summary.valid,
                at: summary.updatedAt,
              },
            ];
          }
          return d.versionList.map((v) => ({
            id: v.id,
            label: `${d.name} · v${v.version} · ${v.train.toLocaleString()} train / ${v.val.toLocaleString()} val`,
            datasetName: d.name,
            version: v.version,
            rows: v.rows,
            at: v.createdAt,
          }));
        }),
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
