import type { ClassConstructor } from 'class-transformer';
import type { DriverErrorKind } from './driver-error';

export const DRIVER_NAMES = ['axis-vapix', 'http-gateway', 'manual'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

export const PLAYBACK_PRIORITIES = ['normal', 'priority', 'emergency'] as const;
export type PlaybackPriority = (typeof PLAYBACK_PRIORITIES)[number];

/**
 * The audio a driver sends: `mulaw` is G.711 µ-law, 8 kHz, mono, raw (`audio/basic`), made from the rendition;
 * `mp3` is the bulletin's rendition as stored.
 */
export type DriverAudioFormat = 'mulaw' | 'mp3';

/** How far the proof of one playback got, weakest first. */
export type EvidenceLevel = 'commanded' | 'acknowledged' | 'device_reported';

/** One speaker as its driver sees it: settings validated by the driver's DTO, secrets already decrypted. */
export interface DriverTarget<Settings = object, Secrets = object> {
  settings: Settings;
  secrets: Secrets;
}

export interface PlaybackAudio {
  /** A local file already in the driver's `audioFormat`. */
  path: string;
  /** SHA-256 of the bulletin's rendition (the bytes a gateway fetches from `url`). */
  sha256: string;
  durationMs: number;
  /** Signed, expiring URL of the rendition, for drivers whose device fetches the audio itself. */
  url?: string;
}

/** One piece of a speaker's program: a bulletin, or the chime before the first one. */
export interface ProgramItem {
  /** The bulletin's id, or `chime`. */
  bulletinId: string;
  audio: PlaybackAudio;
}

export interface PlaybackRequest {
  playbackId: string;
  priority: PlaybackPriority;
  /** The speaker's whole program in order (the chime, then the bulletins), played without gaps. */
  program: ProgramItem[];
  /** Aborting it ends the play; the promise then rejects with `signal.reason`. */
  signal: AbortSignal;
}

/** What the device answered, bounded and JSON-safe, to be kept in the airtime record. */
export type DeviceSummary = Record<string, string | number | boolean | null>;

export interface PlaybackEvidence {
  level: EvidenceLevel;
  commandedAt: Date;
  /** Where the item starts in the audio sent to the device, for drivers that send the program as one stream. */
  offsetMs?: number;
  acknowledgedAt?: Date;
  finishedAt?: Date;
  device: DeviceSummary;
  /** What a person reading the record should know, e.g. that the operator's confirmation is awaited. */
  note?: string;
}

/** The evidence of one program item. */
export interface ItemEvidence {
  bulletinId: string;
  evidence: PlaybackEvidence;
}

export interface HealthResult {
  ok: boolean;
  latencyMs: number;
  detail: string;
  errorKind?: DriverErrorKind;
}

/** Limits every network driver applies to each request it makes. */
export interface DriverLimits {
  /** Until the TCP connection is open. */
  connectTimeoutMs: number;
  /** Until the whole answer has arrived, counted from the connection (a transmit adds the audio's duration). */
  responseTimeoutMs: number;
  /** Largest answer body believed; a longer one is a protocol error. */
  maxResponseBytes: number;
  /** Whether a device may be on this machine's loopback (emulators, test devices): SPEAKER_ALLOW_LOOPBACK. */
  allowLoopback: boolean;
}

export const DEFAULT_DRIVER_LIMITS: Readonly<DriverLimits> = {
  connectTimeoutMs: 5_000,
  responseTimeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  allowLoopback: false,
};

/**
 * One kind of speaker behind one interface. `play` sends the whole program and resolves with one piece of evidence
 * per item, in order, or rejects with a `DriverError` (or with `signal.reason` when aborted); `checkHealth` never
 * rejects for a device fault.
 */
export interface SpeakerDriver<Settings extends object = object, Secrets extends object = object> {
  readonly name: DriverName;
  /** The audio `play` expects at `request.audio.path`, or null when nothing is sent. */
  readonly audioFormat: DriverAudioFormat | null;
  /** class-validator DTOs for `settings` and `secrets`; null when the driver takes none. */
  readonly settingsClass: ClassConstructor<Settings> | null;
  readonly secretsClass: ClassConstructor<Secrets> | null;
  play(target: DriverTarget<Settings, Secrets>, request: PlaybackRequest): Promise<ItemEvidence[]>;
  /** Ends the playback if it is still on air; resolves true when something was stopped. */
  stop(target: DriverTarget<Settings, Secrets>, playbackId: string): Promise<boolean>;
  checkHealth(target: DriverTarget<Settings, Secrets>): Promise<HealthResult>;
}
