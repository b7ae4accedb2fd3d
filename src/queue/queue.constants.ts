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
  /** Every waiting playback of one village for one occurrence of one schedule, released together on the instant. */
  DispatchVillage = 'dispatch-village',
}

export interface PlaybackJobPayloads {
  /** `scheduledAt` is the occurrence's instant as ISO 8601 (the playbacks' `scheduled_at`). */
  [PlaybackJobName.DispatchVillage]: { scheduleId: string; scheduledAt: string; villageId: string };
}

export enum JobOutcome {
  Done = 'done',
  Skipped = 'skipped',
  Failed = 'failed',
}
