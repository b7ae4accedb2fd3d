/** A schedule's program: its bulletins back to back, after the optional pre-announcement chime. */

/**
 * What the session cap counts for the pre-announcement chime (nhạc hiệu báo trước) played before the first bulletin.
 * The chime itself (src/chime) is synthesised a little shorter, so its rendition never outlasts this.
 */
export const CHIME_MS = 5_000;

export interface ProgramLength {
  totalMs: number;
  bulletinsMs: number;
  chimeMs: number;
}

export function programLength(bulletinDurationsMs: number[], chime: boolean): ProgramLength {
  const bulletinsMs = bulletinDurationsMs.reduce((sum, duration) => sum + duration, 0);
  const chimeMs = chime ? CHIME_MS : 0;
  return { totalMs: bulletinsMs + chimeMs, bulletinsMs, chimeMs };
}

/** Why the program may not air as one session, or null when it fits the commune's cap. */
export function sessionCapProblem(program: ProgramLength, maxSessionSeconds: number): string | null {
  if (program.totalMs <= maxSessionSeconds * 1000) return null;
  const parts = program.chimeMs > 0 ? ` (bulletins ${formatDuration(program.bulletinsMs)} + chime ${formatDuration(program.chimeMs)})` : '';
  return (
    `bulletinIds: the program lasts ${formatDuration(program.totalMs)}${parts}, longer than the commune's session cap of ` +
    `${formatDuration(maxSessionSeconds * 1000)}; remove bulletins or ask an admin to raise maxSessionSeconds of the commune`
  );
}

/** 2_850_000 → "47 min 30 s"; rounds up to the second so a program is never shown shorter than it is. */
export function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** One version of one schedule's program: an edit of the bulletins writes the next, and playbacks name theirs. */
export interface ProgramVersion {
  scheduleId: string;
  version: number;
}
