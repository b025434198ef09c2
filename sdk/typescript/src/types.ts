/** The contract's types of the data plane (`/v1`), from tenant-api's OpenAPI document. */

export type FieldType = 'text' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'uuid' | 'json';

/** `public` (any valid key), `authenticated` (an end user's token), `owner` (only the user's own rows), `secret`. */
export type Rule = 'public' | 'authenticated' | 'owner' | 'secret';

export interface Rules {
  read: Rule;
  write: Rule;
}

export interface FieldInput {
  name: string;
  type: FieldType;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  default?: unknown;
}

export interface Field {
  name: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  default?: unknown;
}

export interface CollectionInput {
  name: string;
  fields: FieldInput[];
  rules?: Partial<Rules>;
}

export interface Collection {
  name: string;
  fields: Field[];
  rules: Rules;
}

/** A PATCH of a collection: new fields, new indexes on existing fields, changed rules. */
export interface CollectionPatch {
  addFields?: FieldInput[];
  addIndexes?: string[];
  rules?: Partial<Rules>;
}

/** The system fields every record has. */
export interface SystemFields {
  id: string;
  owner: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A record: the system fields and the collection's own. */
export type PlinthRecord<T extends object = Record<string, unknown>> = SystemFields & T;

/** One page of a query: `next` is the cursor of the following page, null on the last one. */
export interface Page<R> {
  items: R[];
  next: string | null;
  /** Only with `count('exact')`. */
  total?: number;
}

/** A record read with its `ETag`; `notModified` when an `If-None-Match` matched (304). */
export interface RecordResult<R> {
  /** The record; on a 304, the one passed as `ifNoneMatch`, or undefined when only an ETag was. */
  record: R | undefined;
  etag: string | undefined;
  notModified: boolean;
}
