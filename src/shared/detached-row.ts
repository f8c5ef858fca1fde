/** Marks an object built by `detachedRow`. */
const DETACHED = Symbol('detached row');

/**
 * A row read in plain SQL, shaped as an instance of an ORM entity class for GraphQL without
 * constructing one. type-graphql hands each field resolver an instance of its class and converts a
 * plain object by constructing one (for an entity: a fresh UUID, two dates, the ORM's per-instance
 * state) and copying the object into it, on every field resolver of every row: on a directory page
 * of 50 (three constructions per row) a fifth of the server's CPU. An object whose prototype is
 * the class's is passed as it is.
 *
 * Its fields are its own data properties (the literal's, given a prototype by
 * `Object.setPrototypeOf`, so the ORM's property setters never run), and it is marked so that
 * `loadReference` returns it as loaded data instead of asking the ORM about it. Never hand one
 * to the ORM (persist, merge, assign): it is not managed.
 */
export function detachedRow<T extends object>(type: abstract new (...args: never[]) => T, fields: object): T {
  Object.defineProperty(fields, DETACHED, { value: true });
  return Object.setPrototypeOf(fields, type.prototype as object) as T;
}

/** Whether `value` was built by `detachedRow`. */
export function isDetachedRow(value: object): boolean {
  return DETACHED in value;
}
