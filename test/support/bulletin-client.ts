import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { authHeader, Session } from './people';

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function firstTopicId(session: Session): Promise<string> {
  const page = (await (await fetch(`${session.url}/api/topics?pageSize=1`, { headers: authHeader(session) })).json()) as { items: { id: string }[] };
  return page.items[0].id;
}

/** Uploads a file as a browser form would. `filename` overrides the name sent to the server. */
export async function uploadBulletin(session: Session, filePath: string, fields: Record<string, string>, filename = basename(filePath)): Promise<ApiAnswer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', await openAsBlob(filePath), filename);
  const response = await fetch(`${session.url}/api/bulletins`, { method: 'POST', body: form, headers: authHeader(session) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getBulletin(session: Session, id: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${session.url}/api/bulletins/${id}`, { headers: authHeader(session) })).json()) as Record<string, unknown>;
}

/** Polls a bulletin until it is neither `queued` nor `processing`. */
export async function waitUntilProcessed(session: Session, id: string, timeoutMs = 90_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bulletin = await getBulletin(session, id);
    if (bulletin.status !== 'queued' && bulletin.status !== 'processing') return bulletin;
    if (Date.now() > deadline) throw new Error(`bulletin ${id} still processing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Uploads `file` as the editor, waits until it is ready and has the approver approve it: a bulletin that can air. */
export async function uploadApproved(editor: Session, approver: Session, file: string, title: string, timeoutMs = 90_000): Promise<string> {
  const uploaded = await uploadBulletin(editor, file, { title, topic: await firstTopicId(editor) });
  expect(uploaded.status).toBe(201);
  const id = uploaded.body.id as string;
  expect((await waitUntilProcessed(editor, id, timeoutMs)).status).toBe('ready');
  const approval = await fetch(`${approver.url}/api/bulletins/${id}/approve`, { method: 'POST', headers: authHeader(approver) });
  expect(approval.status).toBe(200);
  return id;
}
