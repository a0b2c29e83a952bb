/** A plain JSON object (not an array, not null). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether a parsed value is a JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A row's own field, never one inherited from Object.prototype: `row.constructor` or a column
 * named `toString` must not read the prototype's functions.
 */
export function own(row: JsonObject, key: string): unknown {
  return Object.hasOwn(row, key) ? row[key] : undefined;
}

/** A value in words for a problem message: `bot`, 42, null, an array, an object. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `\`${value.slice(0, 40)}…\`` : `\`${value}\``;
    case 'number':
    case 'bigint':
      return `a number (${String(value)})`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** The JSON type of a value in words: a string, a number, an array… */
export function typeInWords(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? 'a string' : `a ${typeof value === 'bigint' ? 'number' : typeof value}`;
}
