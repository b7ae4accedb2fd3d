import { Village } from '../../src/communes/village.entity';
import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, StageSpeaker, VAPIX_SPEAKER } from './faults-kit';

/** The worker stages this many villages at once; the slot below has more than twice as many. */
const CONCURRENCY = 5;
const VILLAGES = 12;
/** Real time: a 4 s bulletin holds each speaker 4 s, long enough that a village waiting for another's would be seconds late. */
const TIME_SCALE = 1;

/**
 * More villages due at one instant than PLAYBACK_WORKER_CONCURRENCY: a staged village must not keep the next ones
 * from being staged, so every village's speaker goes on air within the same second as the slot. Each speaker is the
 * VAPIX model of test/devices, which notes when the first byte of audio reached it.
 */
describe('Dispatch: more villages at one instant than the worker stages at once', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let bulletinId: string;
  const speakers: StageSpeaker[] = [];

  beforeAll(async () => {
    loa = await startTestApp({ PLAYBACK_WORKER_CONCURRENCY: String(CONCURRENCY), SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    bulletinId = await stage.approvedBulletin(4);
    const villages = loa.dataSource.getRepository(Village);
    for (let index = 0; index < VILLAGES; index++) {
      const village = await villages.save(villages.create({ communeId: loa.places.commune.id, name: `Thôn Đông ${index + 1}` }));
      speakers.push(await stage.axisSpeaker(village.id, VAPIX_SPEAKER));
    }
  }, 240_000);

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
  });

  it('releases every village within the same second of the instant, each speaker once', async () => {
    // Far enough ahead that every village job arrives at the dispatch lead, not at once.
    const instant = new Date(Math.ceil((Date.now() + 15_000) / 1000) * 1000);
    const scheduleId = await stage.schedule(
      [bulletinId],
      speakers.map((speaker) => speaker.id),
      instant,
    );
    const report = await stage.plan();
    expect(report).toMatchObject({ planned: true });

    const rows = await stage.settled([scheduleId], 60_000);
    expect(new Set(rows.map((row) => row.villageId)).size).toBe(VILLAGES);
    for (const row of rows) {
      expect({ speaker: row.speakerId, status: row.status, attempts: row.attempts }).toEqual({ speaker: row.speakerId, status: 'played', attempts: 1 });
      expect(row.scheduledAt.getTime()).toBe(instant.getTime());
    }
    // What the devices heard: each took one transmit, whose first byte came within the second after the slot.
    for (const { id, device } of speakers) {
      expect({ speaker: id, transmissions: device.transmissions.length }).toEqual({ speaker: id, transmissions: 1 });
      const [transmission] = device.transmissions;
      const firstByteAfterMs = transmission.firstByteAt! - instant.getTime();
      expect({ speaker: id, within: firstByteAfterMs >= 0 && firstByteAfterMs < 1_000 }).toEqual({ speaker: id, within: true });
    }
    await stage.expectSound([scheduleId], speakers);
  });
});
