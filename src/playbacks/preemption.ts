import { SchedulePriority } from '../schedules/schedule-priority';

/** Higher goes first: normal 0, priority 1, emergency 2 (Thông tư 39/2020). Unknown values rank as normal. */
export function priorityRank(priority: string): number {
  if (priority === SchedulePriority.Emergency) return 2;
  if (priority === SchedulePriority.Priority) return 1;
  return 0;
}

/**
 * May a playback of priority `wanting` take a speaker on air with one of priority `holding`? Only an emergency
 * pre-empts ("phát ngay"), and only something lower: an emergency never cuts another emergency, and `priority`
 * never cuts a normal broadcast already on air (it goes first among those waiting instead, see `mayTakeFreeSpeaker`).
 */
export function mayPreempt(wanting: string, holding: string): boolean {
  return wanting === SchedulePriority.Emergency && priorityRank(holding) < priorityRank(wanting);
}

/**
 * May a playback of priority `wanting` take a free speaker while one of rank `waitingRank` (or null) is known to
 * wait for it? Only when nobody higher waits, so `priority` goes before `normal` on the same speaker.
 */
export function mayTakeFreeSpeaker(wanting: string, waitingRank: number | null): boolean {
  return waitingRank === null || priorityRank(wanting) >= waitingRank;
}
