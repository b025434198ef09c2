export { createClient, PlinthClient, Collections, CollectionRef } from './client.js';
export type { ClientOptions, InsertOptions, GetOptions, UpdateOptions } from './client.js';
export { PlinthError, parseRetryAfter } from './errors.js';
export type { FieldError } from './errors.js';
export { Query } from './query.js';
export type { Operator, Scalar } from './query.js';
export { backoffDelay, isRetryable } from './http.js';
export type { RequestOptions, RetryOptions } from './http.js';
export type * from './types.js';
