/**
 * Why a schedule is held: a bulletin of its program was rejected by leadership or archived after it was scheduled.
 * Plain data with no imports: the console's build reads it too.
 */
export const SCHEDULE_HOLD_CODES = ['bulletin_rejected', 'bulletin_archived'] as const;

export type ScheduleHoldCode = (typeof SCHEDULE_HOLD_CODES)[number];
