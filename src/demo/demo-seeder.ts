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

/**
 * Fills the demo commune. Places and accounts are written directly (as an admin would set them up);
 * bulletins go through the public API exactly as the culture office and leadership would: upload, approve.
 * Running it again leaves what exists and resets the demo passwords to the printed ones.
 */
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly app: INestApplication,
    private readonly baseUrl: string,
  ) {}

  /** Fills the commune; answers the emulated speakers it started, which the caller closes on exit. */
  async seed(): Promise<Emulator[]> {
    const { commune, villages } = await this.places();
    for (const account of DEMO_ACCOUNTS) await this.account(account, commune, villages);
    const emulators = await startDemoSpeakers(
      this.baseUrl,
      await this.signIn('quantri'),
      new Map([...villages].map(([name, village]) => [name, village.id])),
    );
    const editor = await this.signIn('vanhoa');
    const approver = await this.signIn('lanhdao');
    const topics = (await (await fetch(`${this.baseUrl}/api/topics`, { headers: editor })).json()) as Topic[];
    const dir = await mkdtemp(join(tmpdir(), 'loa-demo-'));
    try {
      for (const [index, sample] of SAMPLE_BULLETINS.entries()) {
        const file = join(dir, `sample-${index + 1}.mp3`);
        await this.app.get(FfmpegAdapter).run(synthesisInvocation(speechLikeSource(sample.seconds, index + 1), file));
        const topic = topics.find((candidate) => candidate.name === sample.topic) ?? topics[0];
        const id = await this.upload(editor, file, sample.title, topic.id);
        if (sample.approve) await this.approveWhenReady(editor, approver, id);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return emulators;
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

  private async approveWhenReady(editor: Record<string, string>, approver: Record<string, string>, id: string): Promise<void> {
    for (let waited = 0; waited < 120_000; waited += 500) {
      const bulletin = (await (await fetch(`${this.baseUrl}/api/bulletins/${id}`, { headers: editor })).json()) as { status: string };
      if (bulletin.status === 'ready') {
        await fetch(`${this.baseUrl}/api/bulletins/${id}/approve`, { method: 'POST', headers: approver });
        return;
      }
      if (bulletin.status !== 'processing') return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    this.logger.warn({ id }, 'Demo bulletin still processing; approve it later');
  }
}
