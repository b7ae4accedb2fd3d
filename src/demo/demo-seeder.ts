import { INestApplication, Logger } from '@nestjs/common';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Commune } from '../communes/commune.entity';
import { Village } from '../communes/village.entity';
import { Emulator } from '../emulator/emulator';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';
import { synthesisInvocation } from '../media/media-commands';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { DEMO_ACCOUNTS, DEMO_COMMUNE, DEMO_VILLAGES, DemoAccount } from './demo-commune';
import { startDemoSpeakers } from './demo-speakers';
import { SAMPLE_BULLETINS, speechLikeSource } from './sample-bulletins';

interface Topic {
  id: string;
  name: string;
}

/** The demo's broadcast starts this long after seeding: after the planner's next minute tick, within two minutes. */
export const DEMO_BROADCAST_DELAY_MS = 90_000;
/** This long into the first broadcast (a 45 s bulletin), an emergency in one village pre-empts it. */
export const DEMO_EMERGENCY_AFTER_MS = 20_000;
/** The village whose speakers the demo's emergency takes over: the river-side one, as a flood warning would. */
export const DEMO_EMERGENCY_VILLAGE = 'Thôn Hà Lam';

/**
 * Fills the demo commune. Places and accounts are written directly (as an admin would set them up);
 * bulletins go through the public API exactly as the culture office and leadership would: upload, approve, and
 * schedule one on the whole commune DEMO_BROADCAST_DELAY_MS ahead, so the demo's speakers play it within two minutes.
 * Running it again leaves what exists and resets the demo passwords to the printed ones.
 */
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);
  /** The one-off broadcast this run scheduled on the whole commune, once `seed` has run (null if none could be). */
  broadcast: { scheduleId: string; title: string; startsAt: Date } | null = null;
  /** What the demo's emergency will play and where, once `seed` has run (null without a second approved bulletin). */
  emergency: { bulletinId: string; title: string; villageId: string } | null = null;

  constructor(
    private readonly app: INestApplication,
    private readonly baseUrl: string,
  ) {}

  /** Fills the commune; answers the emulated speakers it started, which the caller closes on exit. */
  async seed(): Promise<Emulator[]> {
    const { commune, villages } = await this.places();
    for (const account of DEMO_ACCOUNTS) await this.account(account, commune, villages);
    const emulators = await startDemoSpeakers(this.baseUrl, await this.signIn('quantri'), new Map([...villages].map(([name, village]) => [name, village.id])));
    const editor = await this.signIn('vanhoa');
    const approver = await this.signIn('lanhdao');
    const topics = ((await (await fetch(`${this.baseUrl}/api/topics`, { headers: editor })).json()) as { items: Topic[] }).items;
    const dir = await mkdtemp(join(tmpdir(), 'loa-demo-'));
    const approved: Array<{ id: string; title: string }> = [];
    try {
      for (const [index, sample] of SAMPLE_BULLETINS.entries()) {
        const file = join(dir, `sample-${index + 1}.mp3`);
        await this.app.get(FfmpegAdapter).run(synthesisInvocation(speechLikeSource(sample.seconds, index + 1), file));
        const topic = topics.find((candidate) => candidate.name === sample.topic) ?? topics[0];
        const id = await this.upload(editor, file, sample.title, topic.id);
        if (sample.approve && (await this.approveWhenReady(editor, approver, id))) approved.push({ id, title: sample.title });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (approved.length > 0) this.broadcast = await this.scheduleBroadcast(editor, commune.id, approved[0]);
    if (approved.length > 1) this.emergency = { bulletinId: approved[1].id, title: approved[1].title, villageId: villages.get(DEMO_EMERGENCY_VILLAGE)!.id };
    return emulators;
  }

  /**
   * Sends the demo's emergency now, as the culture office would from "Phát khẩn cấp": the second approved bulletin
   * on one village's speakers, pre-empting whatever they play. Answers the broadcast's schedule id.
   */
  async sendEmergency(): Promise<string> {
    if (!this.emergency) throw new Error('The demo has no second approved bulletin for an emergency');
    const response = await fetch(`${this.baseUrl}/api/broadcasts/emergency`, {
      method: 'POST',
      headers: { ...(await this.signIn('vanhoa')), 'Content-Type': 'application/json' },
      body: JSON.stringify({ bulletinId: this.emergency.bulletinId, targets: { villageIds: [this.emergency.villageId] } }),
    });
    const body = (await response.json()) as { id?: string; message?: string };
    if (response.status !== 201 || !body.id) throw new Error(`The demo emergency was refused: ${response.status} ${body.message}`);
    return body.id;
  }

  /** A one-off of an approved bulletin on the whole commune, DEMO_BROADCAST_DELAY_MS from now, as the culture office. */
  private async scheduleBroadcast(editor: Record<string, string>, communeId: string, bulletin: { id: string; title: string }) {
    const startsAt = new Date(Date.now() + DEMO_BROADCAST_DELAY_MS);
    const title = `Phát thử: ${bulletin.title}`;
    const response = await fetch(`${this.baseUrl}/api/schedules`, {
      method: 'POST',
      headers: { ...editor, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title, bulletinIds: [bulletin.id], targets: { communeIds: [communeId] }, startsAt: startsAt.toISOString() }),
    });
    const body = (await response.json()) as { id?: string; message?: string };
    if (response.status !== 201 || !body.id) {
      this.logger.warn({ status: response.status, message: body.message }, 'Demo broadcast could not be scheduled');
      return null;
    }
    return { scheduleId: body.id, title, startsAt };
  }

  private async places(): Promise<{ commune: Commune; villages: Map<string, Village> }> {
    const data = this.app.get(DataSource);
    const communes = data.getRepository(Commune);
    const commune = (await communes.findOneBy({ name: DEMO_COMMUNE.name })) ?? (await communes.save(communes.create(DEMO_COMMUNE)));
    const villageRepository = data.getRepository(Village);
    const villages = new Map<string, Village>();
    for (const name of DEMO_VILLAGES) {
      const village =
        (await villageRepository.findOneBy({ communeId: commune.id, name })) ??
        (await villageRepository.save(villageRepository.create({ communeId: commune.id, name })));
      villages.set(name, village);
    }
    return { commune, villages };
  }

  private async account(account: DemoAccount, commune: Commune, villages: Map<string, Village>): Promise<void> {
    const users = this.app.get(UsersService);
    const existing = await this.app.get(DataSource).getRepository(User).findOneBy({ username: account.username });
    if (existing) {
      await users.resetPassword(existing.id, account.password);
      return;
    }
    await users.create({
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      password: account.password,
      communeIds: [commune.id],
      villageIds: (account.villages ?? []).map((name) => villages.get(name)!.id),
    });
  }

  private async signIn(username: string): Promise<Record<string, string>> {
    const account = DEMO_ACCOUNTS.find((candidate) => candidate.username === username)!;
    const response = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: account.password }),
    });
    const body = (await response.json()) as { accessToken?: string; message?: string };
    if (!body.accessToken) throw new Error(`Demo sign-in of ${username} failed: ${body.message}`);
    return { Authorization: `Bearer ${body.accessToken}` };
  }

  private async upload(editor: Record<string, string>, file: string, title: string, topic: string): Promise<string> {
    const form = new FormData();
    form.append('title', title);
    form.append('topic', topic);
    form.append('file', await openAsBlob(file), `${title}.mp3`);
    const response = await fetch(`${this.baseUrl}/api/bulletins`, { method: 'POST', body: form, headers: editor });
    const body = (await response.json()) as { id?: string; bulletinId?: string; message?: string };
    if (response.status === 201 && body.id) return body.id;
    if (response.status === 409 && body.bulletinId) return body.bulletinId;
    throw new Error(`Demo upload "${title}" was refused: ${response.status} ${body.message}`);
  }

  /** True once the bulletin is approved (now or by an earlier run). */
  private async approveWhenReady(editor: Record<string, string>, approver: Record<string, string>, id: string): Promise<boolean> {
    for (let waited = 0; waited < 120_000; waited += 500) {
      const bulletin = (await (await fetch(`${this.baseUrl}/api/bulletins/${id}`, { headers: editor })).json()) as { status: string };
      if (bulletin.status === 'ready') {
        return (await fetch(`${this.baseUrl}/api/bulletins/${id}/approve`, { method: 'POST', headers: approver })).status === 200;
      }
      if (bulletin.status !== 'queued' && bulletin.status !== 'processing') return bulletin.status === 'approved';
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    this.logger.warn({ id }, 'Demo bulletin still processing; approve it later');
    return false;
  }
}
