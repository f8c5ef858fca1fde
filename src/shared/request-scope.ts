import { AsyncLocalStorage } from 'node:async_hooks';

/** What every layer may need to know about the HTTP request it serves. */
export interface RequestScope {
  requestId: string;
  clientAddress: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `scope` visible to everything it calls, however deep. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The current request's scope, if any (the error formatter uses it to quote the request id). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
