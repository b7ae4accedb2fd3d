import { Logger } from '@nestjs/common';
import { Emulator, startEmulator } from '../emulator/emulator';
import { DEMO_SPEAKER_PASSWORD, DEMO_SPEAKERS } from './demo-commune';

interface SpeakerView {
  id: string;
  name: string;
  villageId: string;
}

/**
 * Starts an emulated Axis speaker for each IP speaker of the demo and registers (or re-points) it through the
 * API as the admin would. The emulators live as long as the demo process.
 */
export async function startDemoSpeakers(baseUrl: string, admin: Record<string, string>, villageIds: Map<string, string>): Promise<Emulator[]> {
  const logger = new Logger('DemoSpeakers');
  const headers = { ...admin, 'Content-Type': 'application/json' };
  // The demo commune is a handful of speakers: one page holds them.
  const existing = ((await (await fetch(`${baseUrl}/api/speakers`, { headers })).json()) as { items: SpeakerView[] }).items;
  const emulators: Emulator[] = [];
  for (const speaker of DEMO_SPEAKERS) {
    const villageId = villageIds.get(speaker.village)!;
    let settings = {};
    let secrets = {};
    if (speaker.driver === 'axis-vapix') {
      const emulator = await startEmulator({ driver: 'axis-vapix', username: 'root', password: DEMO_SPEAKER_PASSWORD });
      emulators.push(emulator);
      settings = { url: emulator.url };
      secrets = { username: 'root', password: DEMO_SPEAKER_PASSWORD };
    }
    const known = existing.find((candidate) => candidate.villageId === villageId && candidate.name === speaker.name);
    const response = known
      ? await fetch(`${baseUrl}/api/speakers/${known.id}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify({ settings, ...(speaker.driver === 'manual' ? {} : { secrets }) }),
        })
      : await fetch(`${baseUrl}/api/speakers`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ villageId, name: speaker.name, driver: speaker.driver, settings, secrets, tags: speaker.tags }),
        });
    if (!response.ok) throw new Error(`Demo speaker "${speaker.name}" was refused: ${response.status} ${await response.text()}`);
  }
  logger.log({ count: emulators.length }, 'Emulated speakers started');
  return emulators;
}
