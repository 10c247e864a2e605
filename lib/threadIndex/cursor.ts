/**
 * Time stamps, ids and cursors of `thread/list` (SPEC §4.6), parsed as the reference parses them:
 * rollout file names `rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl` (the stamp read as UTC), and
 * cursors `"<RFC 3339>|<uuid>"` or `"YYYY-MM-DDThh-mm-ss|<uuid>"`.
 */

/** An instant: whole seconds since the Unix epoch plus nanoseconds, so RFC 3339 fractions compare exactly. */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

/** Where a page resumes: strictly after `(at, id)` in descending (time, id) order. */
export interface ListCursor {
  readonly at: Instant;
  /** Lowercase hyphenated UUID; lowercase hex orders as the reference's byte-wise `Uuid` ordering. */
  readonly id: string;
}

/** What a rollout's file name says: its creation second (local time read as UTC) and thread id. */
export interface RolloutName {
  readonly seconds: number;
  readonly id: string;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;
const HYPHENATED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A UUID in any form the reference's `Uuid::parse_str` takes (hyphenated, 32 hex digits, braced,
 * `urn:uuid:`), normalized to lowercase hyphenated; `null` otherwise.
 *
 * @example
 * parseUuid('{01A20F8B-37DD-7520-8718-CA308F7949A7}'); // '01a20f8b-37dd-7520-8718-ca308f7949a7'
 */
export const parseUuid = (text: string): string | null => {
  let body = text;
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  else if (body.startsWith('urn:uuid:')) body = body.slice('urn:uuid:'.length);
  if (HYPHENATED.test(body)) return body.toLowerCase();
  if (body === text && HEX32.test(body)) {
    const hex = body.toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return null;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), exact for
// any year, unlike `Date.UTC`, which maps years 0–99 to 1900–1999.
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
};

/** Seconds since the epoch of a UTC wall-clock time, or `null` when a field is out of range. */
const utcSeconds = (year: number, month: number, day: number, hour: number, minute: number, second: number): number | null => {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
};

const FILE_STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})$/;

/**
 * The `YYYY-MM-DDThh-mm-ss` stamp of rollout file names, read as UTC (SPEC §6.1: it is local time,
 * and the reference reads it as UTC all the same); `null` when malformed.
 *
 * @example
 * parseFileStamp('2026-11-24T21-51-51'); // 1795557111
 */
export const parseFileStamp = (text: string): number | null => {
  const m = FILE_STAMP.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return utcSeconds(y, mo, d, h, mi, s);
};

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 time stamp (`2026-02-12T11:27:09Z`, `…T11:27:09.118+01:00`) as an instant; `null`
 * when malformed. Fractions beyond nanoseconds are cut, as the reference's parser does.
 *
 * @example
 * parseRfc3339('1970-01-01T00:00:01.5Z'); // { seconds: 1, nanos: 500000000 }
 */
export const parseRfc3339 = (text: string): Instant | null => {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const local = utcSeconds(y, mo, d, h, mi, s);
  if (local === null) return null;
  let offset = 0;
  if (m[8] === undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const nanos = m[7] === undefined ? 0 : Number(m[7].slice(0, 9).padEnd(9, '0'));
  return { seconds: local - offset, nanos };
};

/**
 * Seconds since the epoch as the reference prints them in cursors, `2026-02-12T11:27:09Z`; `null`
 * outside years 0000–9999, which RFC 3339 cannot write (the reference then returns no cursor).
 *
 * @example
 * formatRfc3339(0); // '1970-01-01T00:00:00Z'
 */
export const formatRfc3339 = (seconds: number): string | null => {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(date.getTime()) || year < 0 || year > 9999) return null;
  // For years 0–9999 `toISOString` writes four year digits: `YYYY-MM-DDTHH:MM:SS.sssZ`.
  return `${date.toISOString().slice(0, 19)}Z`;
};

const USUAL_NAME = /^rollout-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/;

/**
 * Splits `rollout-<stamp>-<uuid>.jsonl` as the reference does: the id is the suffix after the
 * right-most `-` that parses as a UUID, the rest must be a `YYYY-MM-DDThh-mm-ss` stamp; `null` for
 * any other name (such files are not listed).
 *
 * @example
 * parseRolloutFileName('rollout-2026-11-24T21-51-51-01a20f8b-37dd-7520-8718-ca308f7949a7.jsonl');
 * // { seconds: 1795557111, id: '01a20f8b-37dd-7520-8718-ca308f7949a7' }
 */
export const parseRolloutFileName = (name: string): RolloutName | null => {
  // The names the reference writes take one regular expression; other spellings take the search.
  const usual = USUAL_NAME.exec(name);
  if (usual !== null) {
    const [y, mo, d, h, mi, s] = usual.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const seconds = utcSeconds(y, mo, d, h, mi, s);
    return seconds === null ? null : { seconds, id: usual[7]! };
  }
  if (!name.startsWith('rollout-') || !name.endsWith('.jsonl')) return null;
  const core = name.slice('rollout-'.length, -'.jsonl'.length);
  for (let at = core.length - 1; at >= 0; at--) {
    if (core[at] !== '-') continue;
    const id = parseUuid(core.slice(at + 1));
    if (id === null) continue;
    const seconds = parseFileStamp(core.slice(0, at));
    return seconds === null ? null : { seconds, id };
  }
  return null;
};

const stampInstant = (stamp: string): Instant | null => {
  const rfc3339 = parseRfc3339(stamp);
  if (rfc3339 !== null) return rfc3339;
  const seconds = parseFileStamp(stamp);
  return seconds === null ? null : { seconds, nanos: 0 };
};

/**
 * Parses a `thread/list` cursor: `"<RFC 3339>|<uuid>"`, or `"YYYY-MM-DDThh-mm-ss|<uuid>"` (the
 * file-name stamp, read as UTC); `null` when it is neither (the handler answers `invalid cursor`).
 *
 * @example
 * parseCursor('2026-02-12T11:27:09Z|0194f7a2-0000-7000-8000-000000000000');
 * // { at: { seconds: 1770895629, nanos: 0 }, id: '0194f7a2-0000-7000-8000-000000000000' }
 */
export const parseCursor = (token: string): ListCursor | null => {
  const bar = token.indexOf('|');
  if (bar === -1) return null;
  const id = parseUuid(token.slice(bar + 1));
  if (id === null) return null;
  const at = stampInstant(token.slice(0, bar));
  return at === null ? null : { at, id };
};


/**
 * The cursor after an item at `seconds` with thread id `id`: `"<RFC 3339>|<uuid>"`, the form the
 * reference sends; `null` when the time cannot be written.
 *
 * @example
 * formatCursor({ at: { seconds: 0, nanos: 0 }, id }); // '1970-01-01T00:00:00Z|<id>'
 */
export const formatCursor = (cursor: ListCursor): string | null => {
  const stamp = formatRfc3339(cursor.at.seconds);
  return stamp === null ? null : `${stamp}|${cursor.id}`;
};

/**
 * Orders an item at whole second `seconds` with id `id` against a cursor, in the listing's
 * descending order: negative when the item comes **after** the cursor (older, or the same time
 * and a smaller id), zero when it is the cursor's own position, positive when before it.
 *
 * @example
 * compareToCursor(10, 'b', { at: { seconds: 10, nanos: 0 }, id: 'a' }); // > 0: listed before the cursor
 */
export const compareToCursor = (seconds: number, id: string, cursor: ListCursor): number => {
  if (seconds !== cursor.at.seconds) return seconds - cursor.at.seconds;
  // A cursor inside a second (from an RFC 3339 fraction) sorts after every item of that second.
  if (cursor.at.nanos > 0) return -1;
  return id < cursor.id ? -1 : id > cursor.id ? 1 : 0;
};

/**
 * True when two cursors name the same position (the handler stops when a page would repeat one).
 *
 * @example
 * sameCursor(parseCursor('2026-02-12T11-27-09|' + id)!, parseCursor('2026-02-12T11:27:09Z|' + id)!); // true
 */
export const sameCursor = (a: ListCursor, b: ListCursor): boolean =>
  a.at.seconds === b.at.seconds && a.at.nanos === b.at.nanos && a.id === b.id;
