import { createHash } from 'node:crypto';

/** Everything that makes two schedules air the same thing in the same place at the same times. */
export interface ScheduleContent {
  title: string;
  /** In program order: the same bulletins in another order are another program. */
  bulletinIds: string[];
  targets: { communeIds: string[]; villageIds: string[]; speakerIds: string[] };
  startsAt: Date | null;
  rrule: string | null;
  timezone: string;
  priority: string;
  misfireGraceSeconds: number;
  validFrom: Date | null;
  validUntil: Date | null;
  chime: boolean;
}

/**
 * SHA-256 of a schedule's content in a canonical form: targets are sets (their order means nothing), bulletins
 * a sequence, instants compared as instants. Two active schedules of one commune with the same fingerprint would
 * air every slot twice; the database refuses the second (a double tap on "Lưu" racing itself included).
 */
export function scheduleFingerprint(content: ScheduleContent): string {
  const sorted = (ids: string[]) => [...new Set(ids)].sort();
  const instant = (value: Date | null) => (value ? value.toISOString() : null);
  const canonical = [
    content.title.trim(),
    content.bulletinIds,
    sorted(content.targets.communeIds),
    sorted(content.targets.villageIds),
    sorted(content.targets.speakerIds),
    instant(content.startsAt),
    content.rrule,
    content.timezone,
    content.priority,
    content.misfireGraceSeconds,
    instant(content.validFrom),
    instant(content.validUntil),
    content.chime,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
