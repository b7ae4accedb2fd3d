import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Any method with any body, GET included (fetch refuses a GET body); answers the status and the parsed JSON. */
export function rawRequest(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    // A GET body sent chunked is refused by Node's parser itself; with a length it reaches the application.
    const sized = body === undefined ? headers : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers };
    const outgoing = request(`${url}${path}`, { method, headers: sized }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = { raw: text };
        }
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
