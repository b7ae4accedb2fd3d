import { h } from './dom';
import { SPEAKER_STATUS } from './format';
import { badge } from './views/bulletins';

/**
 * A wired or FM cluster (driver `manual`) is switched on by its village operator: Loa never reaches it over a
 * network, so it is never online or offline, and no count of reachable speakers includes it.
 */
export function isWired(speaker: { driver: string }): boolean {
  return speaker.driver === 'manual';
}

/** How many of `speakers` are online, out of those Loa reaches, and how many are wired (counted apart). */
export function presence(speakers: { driver: string; status: string }[]): { online: number; offline: number; reachable: number; wired: number } {
  const reachable = speakers.filter((speaker) => !isWired(speaker));
  return {
    online: reachable.filter((speaker) => speaker.status === 'online').length,
    offline: reachable.filter((speaker) => speaker.status === 'offline').length,
    reachable: reachable.length,
    wired: speakers.length - reachable.length,
  };
}

/** The speaker's state as a badge: a wired cluster says so rather than "Chưa kiểm tra". */
export function presenceBadge(speaker: { driver: string; status: string }): HTMLElement {
  return isWired(speaker) ? h('span', { class: 'badge tone-info', 'data-status': 'wired' }, 'Loa dây (thôn bật)') : badge(SPEAKER_STATUS, speaker.status);
}
