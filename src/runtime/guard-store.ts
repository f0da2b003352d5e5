import { asFixpathError, FixpathError } from '../errors.ts';

/** Runs a store operation; a failure that is not fixpath's own becomes `store_unavailable`, cause kept. */
export async function guardStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof FixpathError) throw err;
    throw new FixpathError('store_unavailable', 'the conversation store is unavailable', {
      cause: asFixpathError(err),
    });
  }
}
