import { session } from './session';

/** An API answer that was not 2xx, with a message in Vietnamese for people and the server's own words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly serverMessage: string,
    readonly body: Record<string, unknown> | null,
  ) {
    super(explain(status, serverMessage));
  }
}

/** Called when a token stops working: the console goes back to the sign-in screen. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}
/** For requests made outside `api()` (the live stream): the token no longer works. */
export function signalUnauthorized(): void {
  onUnauthorized();
}

export function explain(status: number, serverMessage: string): string {
  const detail = serverMessage ? ` (${serverMessage})` : '';
  if (status === 0) return 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.';
  if (status === 400) return `Dữ liệu chưa hợp lệ${detail}`;
  if (status === 401) return 'Phiên đăng nhập đã hết hạn hoặc thông tin đăng nhập không đúng.';
  if (status === 403) return 'Tài khoản của bạn không có quyền làm việc này.';
  if (status === 404) return `Không tìm thấy${detail}`;
  if (status === 409) return `Xung đột dữ liệu${detail}`;
  if (status === 413) return 'Tệp quá lớn.';
  if (status === 415) return `Định dạng tệp không được hỗ trợ${detail}`;
  if (status === 422) return `Không xử lý được${detail}`;
  if (status === 429) return 'Thử quá nhiều lần. Vui lòng đợi một lúc rồi thử lại.';
  if (status >= 500) return 'Máy chủ gặp lỗi. Vui lòng thử lại sau ít phút.';
  return `Lỗi ${status}${detail}`;
}

function messageOf(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return '';
}

export function authHeaders(): Record<string, string> {
  const token = session.token();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...authHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, '', null);
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== '/auth/login') onUnauthorized();
    throw new ApiError(response.status, messageOf(parsed), parsed as Record<string, unknown> | null);
  }
  return parsed as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Every item of a cursor-paged list (`{items, next}`, e.g. GET /api/playbacks), reading pages until `next` is null. */
export async function allItems<T>(path: string, params: Record<string, string | undefined>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = await api<{ items: T[]; next: string | null }>('GET', `${path}${query({ ...params, after })}`);
    items.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return items;
}

/** Every item of an offset-paged list (`{items, total, page, pageSize}`, e.g. GET /api/speakers), reading pages until `total` is reached. */
export async function allPageItems<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await api<{ items: T[]; total: number }>('GET', `${path}${query({ ...params, page })}`);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}

/** Multipart upload through XMLHttpRequest, the only browser API that reports upload progress. */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api${path}`);
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, '', null));
    request.onload = () => {
      let body: unknown = null;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : null;
      } catch {
        body = null;
      }
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else {
        if (request.status === 401) onUnauthorized();
        reject(new ApiError(request.status, messageOf(body), body as Record<string, unknown> | null));
      }
    };
    request.send(form);
  });
}

/** Audio needs the bearer token, which an <audio src> cannot send: fetch it once and play it from a Blob URL (seeks locally). */
export async function audioUrl(bulletinId: string): Promise<string> {
  const response = await fetch(`/api/bulletins/${bulletinId}/audio`, { headers: authHeaders() });
  if (!response.ok) throw new ApiError(response.status, messageOf(await response.json().catch(() => null)), null);
  return URL.createObjectURL(await response.blob());
}

/** Downloads a file the API makes (reports) with the bearer token, under the name the server gives it. */
export async function download(path: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { headers: authHeaders() });
  } catch {
    throw new ApiError(0, '', null);
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    const body = (await response.json().catch(() => null)) as unknown;
    throw new ApiError(response.status, messageOf(body), body as Record<string, unknown> | null);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : (plain ?? fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
