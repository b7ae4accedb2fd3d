import { IncomingMessage, ServerResponse } from 'node:http';

export const EMULATED_DRIVERS = ['axis-vapix', 'http-gateway'] as const;
export type EmulatedDriver = (typeof EMULATED_DRIVERS)[number];

/**
 * offline: nothing listens; slow: answers only after a delay; wrong-password: refuses every credential or
 * signature; garbage: answers 200 with a web page; hang: accepts and never answers; drop: closes the connection
 * without an answer once the request is authenticated (an Axis transmit halfway through its audio).
 */
export const EMULATOR_FAULTS = ['offline', 'slow', 'wrong-password', 'garbage', 'hang', 'drop'] as const;
export type EmulatorFault = (typeof EMULATOR_FAULTS)[number];

/** One HTTP request the emulator received, and how it answered (null: it never did). */
export interface EmulatedRequest {
  method: string;
  path: string;
  authorized: boolean;
  status: number | null;
}

export type PlaybackOutcome = 'playing' | 'played' | 'interrupted' | 'dropped' | 'failed';

/** One playback as the emulated device lived it. */
export interface EmulatedPlayback {
  /** The gateway's play command names it; an Axis transmit carries no id. */
  playbackId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  receivedBytes: number;
  /** Duration of the audio as ffmpeg decoded it. */
  decodedSeconds: number | null;
  maxVolumeDb: number | null;
  outcome: PlaybackOutcome;
  reason: string | null;
}

/** An event the emulated gateway posted back, and what the receiver answered (null: no answer). */
export interface PostedEvent {
  body: Record<string, unknown>;
  status: number | null;
}

export interface EmulatorRecords {
  requests: EmulatedRequest[];
  playbacks: EmulatedPlayback[];
  events: PostedEvent[];
}

export type EmulatorLog = (line: Record<string, unknown>) => void;

/** What each emulated protocol implements; faults common to both are applied around it. */
export interface EmulatedDevice {
  handle(request: IncomingMessage, response: ServerResponse, entry: EmulatedRequest): void;
  close(): Promise<void>;
}
