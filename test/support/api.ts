export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A JSON request against the service, answering status and parsed body. */
export async function call<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}
