import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { CanonicalRow, DedupePreview } from '../../../preload/contract';
import { rowText } from '../normalise/content-hash';
import { bandKeys, estimateJaccard, lshParameters, MinHasher, shingleHashes } from './minhash';

/** Rows that are the same: the one kept (lowest row index) and the ones to delete. Row ids. */
export interface DuplicateGroup {
  readonly keep: number;
  readonly remove: ReadonlyArray<number>;
}

/** How a long scan reports and stops: progress in rows, and a signal to abort. */
export interface ScanControl {
  readonly progress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Groups shown in a preview, and members shown per group. */
const SAMPLE_GROUPS = 20;
const SAMPLE_MEMBERS = 20;
/** Rows read per page while streaming a dataset. */
const PAGE_ROWS = 1000;

/** The preview of a set of groups (what would be, or was, deleted). */
export function toPreview(
  mode: DedupePreview['mode'],
  threshold: number | null,
  groups: ReadonlyArray<DuplicateGroup>,
  applied: boolean,
  /** Each sampled row's visible identity ("line 12"), by row id. */
  labelOf: (rowIds: ReadonlyArray<number>) => ReadonlyMap<number, string> = () => new Map(),
): DedupePreview {
  const sample = groups
    .slice(0, SAMPLE_GROUPS)
    .map((g) => ({ keep: g.keep, remove: g.remove.slice(0, SAMPLE_MEMBERS) }));
  const labels = labelOf(sample.flatMap((g) => [g.keep, ...g.remove]));
  const label = (id: number) => labels.get(id) ?? `row id ${id}`;
  return {
    mode,
    threshold,
    groups: groups.length,
    duplicates: groups.reduce((n, g) => n + g.remove.length, 0),
    sample: sample.map((g) => ({ ...g, keepLabel: label(g.keep), removeLabels: g.remove.map(label) })),
    applied,
  };
}

/** Live rows with the same content hash (same roles and text up to case and spacing), in row order. */
export function exactDuplicateGroups(rowsRepo: DatasetRowsRepository, datasetId: string): DuplicateGroup[] {
  const rows = rowsRepo.sharedHashRows(datasetId);
  const groups: Array<{ first: number; ids: number[] }> = [];
  let hash: string | null = null;
  for (const row of rows) {
    if (row.hash !== hash) {
      groups.push({ first: row.rowIndex, ids: [] });
      hash = row.hash;
    }
    groups.at(-1)?.ids.push(row.id);
  }
  return groups
    .sort((a, b) => a.first - b.first)
    .map((g) => ({ keep: g.ids[0] ?? 0, remove: g.ids.slice(1) }));
}

interface LiveRow {
  readonly id: number;
  readonly rowIndex: number;
  readonly canonical: string;
}

/** Stream a dataset's live rows that have a canonical form, a page at a time, in id order. */
async function forEachLiveRow(
  rowsRepo: DatasetRowsRepository,
  datasetId: string,
  control: ScanControl,
  visit: (row: LiveRow, index: number) => void,
): Promise<number> {
  const total = rowsRepo.countLiveCanonical(datasetId);
  let after = -1;
  let index = 0;
  for (;;) {
    control.signal?.throwIfAborted();
    // content_hash is set exactly when canonical_json is: these rows all have a canonical form.
    const rows = rowsRepo.liveCanonicalPage(datasetId, after, PAGE_ROWS) as LiveRow[];
    for (const row of rows) visit(row, index++);
    control.progress?.(index, total);
    const last = rows.at(-1);
    if (!last || rows.length < PAGE_ROWS) return index;
    after = last.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function textOf(canonicalJson: string): string {
  try {
    return rowText(JSON.parse(canonicalJson) as CanonicalRow);
  } catch {
    return canonicalJson;
  }
}

/** Below this many rows a (key, position) pair packs exactly into a double, and sorts natively. */
const PACKED_LIMIT = 2 ** 21;

/** Positions 0..n-1 ordered by key, then position. */
function sortByKey(key: Uint32Array, order: Uint32Array, packed: Float64Array | null): void {
  if (packed) {
    for (let i = 0; i < key.length; i++) packed[i] = (key[i] ?? 0) * PACKED_LIMIT + i;
    packed.sort();
    for (let i = 0; i < key.length; i++) order[i] = (packed[i] ?? 0) % PACKED_LIMIT;
    return;
  }
  for (let i = 0; i < key.length; i++) order[i] = i;
  order.sort((x, y) => (key[x] ?? 0) - (key[y] ?? 0) || x - y);
}

/** Union-find over row positions; `find` compresses paths. */
class DisjointSets {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size).map((_, i) => i);
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root] ?? root;
    for (let node = x; node !== root; ) {
      const next = this.parent[node] ?? root;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Near-duplicate groups among live rows: MinHash signatures (128 permutations over word 5-shingles,
 * or character shingles for short text), LSH banding tuned to the threshold to find candidate
 * pairs, each pair verified by estimated Jaccard ≥ threshold, then pairs joined into groups.
 * Memory stays bounded: the first pass keeps only band keys (4 bytes per band per row), the second
 * computes full signatures again only for rows that have a candidate.
 */
export async function nearDuplicateGroups(
  rowsRepo: DatasetRowsRepository,
  datasetId: string,
  threshold: number,
  control: ScanControl = {},
): Promise<DuplicateGroup[]> {
  const hasher = new MinHasher();
  const { bands, rows: perBand } = lshParameters(threshold, hasher.numPerm);
  const signature = new Uint32Array(hasher.numPerm);
  const ids: number[] = [];
  const rowIndexes: number[] = [];
  let keys = new Uint32Array(1024 * bands);
  const halfProgress = (done: number, total: number): void => control.progress?.(done, total * 2);

  const count = await forEachLiveRow(
    rowsRepo,
    datasetId,
    { ...control, progress: halfProgress },
    (row, i) => {
      ids.push(row.id);
      rowIndexes.push(row.rowIndex);
      if ((i + 1) * bands > keys.length) {
        const grown = new Uint32Array(keys.length * 2);
        grown.set(keys);
        keys = grown;
      }
      bandKeys(
        hasher.signature(shingleHashes(textOf(row.canonical)), signature),
        bands,
        perBand,
        keys,
        i * bands,
      );
    },
  );

  // Candidate pairs: rows sharing a band key, each paired with the first and the previous of its bucket.
  const pairs = new Set<number>();
  const order = new Uint32Array(count);
  const bandKey = new Uint32Array(count);
  const packed = count < PACKED_LIMIT ? new Float64Array(count) : null;
  for (let b = 0; b < bands; b++) {
    for (let i = 0; i < count; i++) bandKey[i] = keys[i * bands + b] ?? 0;
    sortByKey(bandKey, order, packed);
    for (let start = 0; start < count; ) {
      let end = start + 1;
      const key = bandKey[order[start] ?? 0];
      while (end < count && bandKey[order[end] ?? 0] === key) end++;
      const first = order[start] ?? 0;
      for (let k = start + 1; k < end; k++) {
        const member = order[k] ?? 0;
        pairs.add(first * count + member);
        if (k > start + 1) pairs.add((order[k - 1] ?? 0) * count + member);
      }
      start = end;
    }
  }
  keys = new Uint32Array(0);

  const candidate = new Uint8Array(count);
  for (const pair of pairs) {
    candidate[Math.floor(pair / count)] = 1;
    candidate[pair % count] = 1;
  }
  const signatures = new Map<number, Uint32Array>();
  const secondPass = (done: number, total: number): void => control.progress?.(total + done, total * 2);
  await forEachLiveRow(rowsRepo, datasetId, { ...control, progress: secondPass }, (row, i) => {
    if (candidate[i] === 1 && ids[i] === row.id) {
      signatures.set(i, hasher.signature(shingleHashes(textOf(row.canonical))));
    }
  });

  const sets = new DisjointSets(count);
  for (const pair of pairs) {
    const a = signatures.get(Math.floor(pair / count));
    const b = signatures.get(pair % count);
    if (a && b && estimateJaccard(a, b) >= threshold) sets.union(Math.floor(pair / count), pair % count);
  }
  const members = new Map<number, number[]>();
  for (const i of signatures.keys()) {
    const root = sets.find(i);
    const list = members.get(root) ?? [];
    list.push(i);
    members.set(root, list);
  }
  return [...members.values()]
    .filter((list) => list.length > 1)
    .map((list) => list.sort((x, y) => (rowIndexes[x] ?? 0) - (rowIndexes[y] ?? 0)))
    .sort((x, y) => (rowIndexes[x[0] ?? 0] ?? 0) - (rowIndexes[y[0] ?? 0] ?? 0))
    .map((list) => ({ keep: ids[list[0] ?? 0] ?? 0, remove: list.slice(1).map((i) => ids[i] ?? 0) }));
}
