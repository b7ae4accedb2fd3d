export enum QueueName {
  Audio = 'audio',
  Playback = 'playback',
}

export enum AudioJobName {
  RenderBulletin = 'render-bulletin',
}

/** Payload of each job, by name: producers and consumers share this map. */
export interface AudioJobPayloads {
  [AudioJobName.RenderBulletin]: { bulletinId: string };
}

export enum PlaybackJobName {
  Dispatch = 'dispatch-playback',
}

export interface PlaybackJobPayloads {
  [PlaybackJobName.Dispatch]: { playbackId: string };
}

export enum JobOutcome {
  Done = 'done',
  Skipped = 'skipped',
  Failed = 'failed',
}
