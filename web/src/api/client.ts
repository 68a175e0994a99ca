/**
 * The API client, typed by schema.d.ts, which is generated from the server's OpenAPI document
 * (`npm run generate:api`; test/web/api-types.test.ts fails when it is stale). The session is an
 * HttpOnly cookie the browser sends by itself: no token ever reaches this code.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.d.ts';
import { ApiProblem, problemFrom } from './problem.ts';

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export type Transaction = paths['/api/v1/transactions/{id}']['get']['responses'][200]['content']['application/json'];
export type TransactionFactor = Transaction['factors'][number];
export type MethodId = TransactionFactor['type'];

/**
 * The answer's data, or an {@link ApiProblem} thrown with the problem's `code`: every caller shows
 * errors through that code, never through the server's English title.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw new ApiProblem({ code: 'network', status: 0 }, { cause });
  }
  if (result.response.ok) return result.data as T;
  throw problemFrom(result.response.status, result.error);
}
