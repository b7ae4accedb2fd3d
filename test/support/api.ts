import { authHeader, Session } from './people';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request as `session` (or anonymously with a base URL), answering status, parsed body and headers. */
export async function call<T = Record<string, unknown>>(
  as: Session | string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const url = typeof as === 'string' ? as : as.url;
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(typeof as === 'string' ? {} : authHeader(as)),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = {};
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { raw: text };
    }
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Every item of an offset-paged list (`{items, total}`), read page by page as `session`; fails on any other answer. */
export async function listAll<T = Record<string, unknown>>(as: Session, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await call<{ items: T[]; total: number }>(as, 'GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}`);
    if (answer.status !== 200) throw new Error(`GET ${path} page ${page} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    items.push(...answer.body.items);
    if (answer.body.items.length === 0 || items.length >= answer.body.total) return items;
  }
}
