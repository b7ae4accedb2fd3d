import { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { MediaLinks } from '../../src/media-links/media-links.service';
import { AirtimeRecorder } from '../../src/playbacks/dispatch/airtime-recorder';
import { PlaybackStops } from '../../src/playbacks/dispatch/playback-stops';
import { PlaybackWrites } from '../../src/playbacks/dispatch/playback-writes';
import { PlaybackRepository } from '../../src/playbacks/playback-repository';
import { SpeakerLeases } from '../../src/playbacks/speaker-lease';
import { SecretBox } from '../../src/security/secret-box';
import { DriverAudioCache } from '../../src/speakers/drivers/driver-audio-cache';
import { SpeakerDriverRegistry } from '../../src/speakers/drivers/drivers';
import { SpeakerTargets } from '../../src/speakers/speaker-targets';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { Body, FaultStage, until } from '../playbacks/faults-kit';

/** A 40 s bulletin is 20 s on air on the modelled speaker: long enough to stop it mid-air. */
const TIME_SCALE = 0.5;

/** Every distinct instance of `type` among the providers of every module of the app. */
function instancesOf(app: INestApplication, type: Type | (abstract new (...args: never[]) => unknown)): Set<unknown> {
  const found = new Set<unknown>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) if (wrapper.instance instanceof type) found.add(wrapper.instance);
  }
  return found;
}

/**
 * One process running the API and the workers (`ROLE=all`, as on a single machine) holds one of each stateful
 * provider, whichever modules use it: a driver registry declared in three modules would be three registries, and a
 * stop sent through one of them could not reach the transmit another one holds.
 */
describe('Production path: one process, one of each provider', () => {
  let loa: TestApp;
  let stage: FaultStage;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
  });

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
  });

  it.each([
    ['the driver registry', SpeakerDriverRegistry],
    ['speaker targets', SpeakerTargets],
    ['the secret box', SecretBox],
    ['media links', MediaLinks],
    ['the driver audio cache', DriverAudioCache],
    ['the airtime recorder', AirtimeRecorder],
    ['the airtime ledger', AirtimeLedger],
    ['the speaker leases', SpeakerLeases],
    ['the playback writes', PlaybackWrites],
    ['the playback stops', PlaybackStops],
    ['the playback repository', PlaybackRepository],
  ])('holds one instance of %s', (_name, type) => {
    expect(instancesOf(loa.app, type).size).toBe(1);
  });

  it("stops an emergency broadcast through the dispatcher's own driver, which cuts the transmit it holds", async () => {
    const bulletinId = await stage.approvedBulletin(40);
    const speaker = await stage.axisSpeaker();
    const axis = loa.app.get(SpeakerDriverRegistry).get('axis-vapix');
    const stops = jest.spyOn(axis, 'stop');

    const broadcast = await call<Body>(loa.people.editor, 'POST', '/api/broadcasts/emergency', { bulletinId, targets: { speakerIds: [speaker.id] } });
    expect(broadcast.status).toBe(201);
    const [playback] = broadcast.body.playbacks as Body[];
    await until(async () => (speaker.device.onAir ? true : null), 30_000, 'the emergency on air');

    const stopped = await call<Body>(loa.people.editor, 'POST', `/api/broadcasts/${broadcast.body.id}/stop`, {});
    expect(stopped.status).toBe(200);
    expect(stops).toHaveBeenCalledWith(expect.anything(), playback.id);
    // True only when this driver instance held the transmit: the stop reached the dispatcher's own.
    await expect(stops.mock.results[0].value).resolves.toBe(true);
    const [row] = await stage.settled([broadcast.body.id as string], 30_000);
    expect(row).toMatchObject({ status: 'preempted', failureCode: 'broadcast_stopped', attempts: 1 });
    await until(async () => (speaker.device.onAir ? null : true), 10_000, 'the device to stop playing');
    // The dispatcher dropped the connection mid-stream: the device was cut, never answered as played.
    expect(speaker.device.transmissions.map((transmission) => transmission.outcome)).toEqual(['cut']);
  }, 150_000);
});
