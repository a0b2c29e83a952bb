import type { DatasetFormat, DatasetInspection } from '../../../preload/contract';
import { DETECTION_SAMPLE, detectShape } from '../normalise/detect-shape';
import { type CsvOptions, openRecords } from '../readers/open-records';
import { sniffFile } from '../readers/sniff-format';
import { formatBytes, type SourceRecord } from '../readers/source-record';

/** Inspection stops reading after this many bytes of text even if it has fewer rows. */
export const INSPECT_MAX_BYTES = 32 * 1024 * 1024;
const SAMPLE_ROWS = 5;

/**
 * A quick look at a file before importing it: format (from the extension, corrected by content),
 * encoding, shape detected on the first rows with its evidence, CSV/Parquet columns and the
 * delimiter, and the first rows as parsed. Reads only the start of the file.
 */
export async function inspectFile(
  path: string,
  size: number,
  format?: DatasetFormat,
  csv?: CsvOptions,
): Promise<DatasetInspection> {
  const sniff = await sniffFile(path, size, format);
  const partial = size > INSPECT_MAX_BYTES;
  const source = await openRecords(path, sniff, { csv, maxBytes: partial ? INSPECT_MAX_BYTES : undefined });
  const records: SourceRecord[] = [];
  try {
    for await (const batch of source.batches) {
      records.push(...batch);
      if (records.length >= DETECTION_SAMPLE) break;
    }
  } finally {
    await source.close();
  }
  // A preview that stopped inside a row must not count that row as broken.
  if (partial && records.length < DETECTION_SAMPLE && records.at(-1)?.value === undefined) records.pop();
  const sampled = records.slice(0, DETECTION_SAMPLE);
  const detection = detectShape(sampled.map((r) => r.value));
  if (partial && sampled.length < DETECTION_SAMPLE) {
    detection.evidence.push(`only the first ${formatBytes(INSPECT_MAX_BYTES)} were inspected`);
  }
  return {
    path,
    sizeBytes: size,
    format: source.format,
    encoding: source.encoding,
    detection: { ...detection, evidence: [...source.notes, ...detection.evidence] },
    columns: source.columns,
    delimiter: source.delimiter,
    sample: sampled
      .filter((r) => r.value !== undefined)
      .slice(0, SAMPLE_ROWS)
      .map((r) => r.value),
  };
}
