import { allPageItems, allItems, api, query } from '../api';
import { Directory, loadDirectory, speakerLabel } from '../directory';
import { h, notice, replace } from '../dom';
import { clock, FAILURE_REASON, PLAYBACK_STATUS, PRIORITY, PROBLEM_KIND, startOfLocalDay, when } from '../format';
import { t } from '../i18n';
import { followLive, liveLabel, LiveState } from '../live';
import { Me } from '../session';
import { presence, presenceBadge } from '../speaker-presence';
import { badge } from './bulletins';
import { Playback, ScheduleSummary } from './playback-types';

/** How many past days of operators' problem reports stay on the dashboard. */
const PROBLEM_DAYS = 3;
const EMERGENCY_REFRESH_MS = 60_000;

/** Tổng quan: today's slots and their playbacks, speakers per village, operators' problems, the next emergency repeat; live. */
export function renderDashboard(main: HTMLElement, me: Me): () => void {
  const playbacks = new Map<string, Playback>();
  const schedules = new Map<string, ScheduleSummary>();
  const nextRepeat = new Map<string, string | null>();
  let directory: Directory | null = null;
  let stopped = false;
  let drawTimer: number | undefined;
  let emergencyTimer: number | undefined;
  let reloadTimer: number | undefined;

  const liveBadge = h('span', { class: 'badge tone-wait live-badge', role: 'status' }, 'Đang kết nối…');
  const message = h('div', { class: 'message' });
  const emergencies = h('section', { class: 'card emergency-card', 'aria-labelledby': 'emergency-title', hidden: true });
  const slots = h('section', { class: 'card', 'aria-labelledby': 'slots-title' });
  const villages = h('section', { class: 'card', 'aria-labelledby': 'villages-title' });
  const problems = h('section', { class: 'card', 'aria-labelledby': 'problems-title' });

  const today = () => ({ start: startOfLocalDay(new Date()), end: startOfLocalDay(new Date(), 1) });

  async function load(): Promise<void> {
    try {
      const { end } = today();
      const from = startOfLocalDay(new Date(), -PROBLEM_DAYS + 1);
      const [dir, list] = await Promise.all([
        loadDirectory(),
        allItems<Playback>('/playbacks', { from: from.toISOString(), to: end.toISOString() }),
        loadSchedules(),
      ]);
      if (stopped) return;
      directory = dir;
      playbacks.clear();
      for (const playback of list) playbacks.set(playback.id, playback);
      message.replaceChildren();
      draw();
      void loadEmergencies();
    } catch (error) {
      if (!stopped) message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  async function loadSchedules(): Promise<void> {
    const list = await allPageItems<ScheduleSummary>('/schedules');
    schedules.clear();
    for (const schedule of list) schedules.set(schedule.id, schedule);
  }

  /** The next start of each active emergency broadcast that repeats. */
  async function loadEmergencies(): Promise<void> {
    window.clearTimeout(emergencyTimer);
    const active = [...schedules.values()].filter((schedule) => schedule.priority === 'emergency' && schedule.status === 'active');
    const now = new Date();
    const horizon = new Date(now.getTime() + 86_400_000);
    await Promise.all(
      active.map(async (schedule) => {
        try {
          const preview = await api<{ occurrences: { at: string }[] }>(
            'GET',
            `/schedules/${schedule.id}/occurrences${query({ from: now.toISOString(), to: horizon.toISOString() })}`,
          );
          nextRepeat.set(schedule.id, preview.occurrences[0]?.at ?? null);
        } catch {
          nextRepeat.set(schedule.id, null);
        }
      }),
    );
    if (stopped) return;
    drawEmergencies();
    emergencyTimer = window.setTimeout(() => void loadEmergencies(), EMERGENCY_REFRESH_MS);
  }

  /** Schedules and emergencies read again once a burst of live events has passed (a stop cancels every repeat). */
  function scheduleReload(): void {
    window.clearTimeout(reloadTimer);
    reloadTimer = window.setTimeout(
      () =>
        void loadSchedules()
          .then(() => {
            // Slots name their schedule: drawn again now that it is known.
            draw();
            return loadEmergencies();
          })
          .catch(() => undefined),
      300,
    );
  }

  function scheduleDraw(): void {
    window.clearTimeout(drawTimer);
    drawTimer = window.setTimeout(draw, 150);
  }

  function draw(): void {
    if (!directory || stopped) return;
    drawSlots(directory);
    drawVillages(directory);
    drawProblems(directory);
    drawEmergencies();
  }

  function drawEmergencies(): void {
    // An emergency with no repeat left and nothing on air is over, though its schedule stays active until stopped.
    const onAir = new Set([...playbacks.values()].filter((item) => ['dispatching', 'playing'].includes(item.status)).map((item) => item.scheduleId));
    const active = [...schedules.values()].filter(
      (schedule) => schedule.priority === 'emergency' && schedule.status === 'active' && (nextRepeat.get(schedule.id) || onAir.has(schedule.id)),
    );
    emergencies.hidden = active.length === 0;
    const canStop = me.role === 'admin' || me.role === 'editor';
    replace(
      emergencies,
      h('h2', { id: 'emergency-title' }, 'Phát khẩn cấp đang áp dụng'),
      h(
        'ul',
        { class: 'rows' },
        active.map((schedule) => {
          const next = nextRepeat.get(schedule.id);
          return h(
            'li',
            { class: 'row', 'data-emergency': schedule.id },
            h('div', { class: 'row-main' }, h('strong', {}, schedule.title)),
            h(
              'div',
              { class: 'row-side' },
              h('span', { class: 'next-repeat' }, next ? t('Lần phát lại tiếp theo: {time}', { time: when(next) }) : t('Không còn lần phát lại nào')),
              canStop ? h('a', { href: '#/phat-khan-cap' }, 'Theo dõi hoặc dừng') : null,
            ),
          );
        }),
      ),
    );
  }

  function drawSlots(dir: Directory): void {
    const { start, end } = today();
    const groups = new Map<string, Playback[]>();
    for (const playback of playbacks.values()) {
      const at = new Date(playback.scheduledAt);
      if (at < start || at >= end) continue;
      const key = `${playback.scheduledAt}|${playback.scheduleId}`;
      groups.set(key, [...(groups.get(key) ?? []), playback]);
    }
    const keys = [...groups.keys()].sort();
    replace(
      slots,
      h('h2', { id: 'slots-title' }, 'Lịch phát hôm nay'),
      keys.length
        ? h(
            'ol',
            { class: 'slots' },
            keys.map((key) => {
              const items = groups
                .get(key)!
                .sort((a, b) => speakerLabel(dir, a.speakerId, a.villageId).localeCompare(speakerLabel(dir, b.speakerId, b.villageId), 'vi'));
              const first = items[0];
              const schedule = schedules.get(first.scheduleId);
              const played = items.filter((item) => item.status === 'played').length;
              return h(
                'li',
                { class: 'slot card', 'data-schedule': first.scheduleId },
                h(
                  'div',
                  { class: 'card-head' },
                  h('h3', {}, h('span', { class: 'slot-time' }, clock(first.scheduledAt)), ' ', schedule?.title ?? t('Lịch phát')),
                  h(
                    'span',
                    { class: 'slot-tally' },
                    first.priority !== 'normal' ? badge(PRIORITY, first.priority) : null,
                    ' ',
                    t('{done}/{all} cụm loa đã phát', { done: played, all: items.length }),
                  ),
                ),
                h(
                  'ul',
                  { class: 'rows' },
                  items.map((item) =>
                    h(
                      'li',
                      { class: 'row slot-speaker', 'data-playback': item.id, 'data-status': item.status },
                      h('span', {}, speakerLabel(dir, item.speakerId, item.villageId)),
                      h(
                        'span',
                        { class: 'row-side' },
                        badge(PLAYBACK_STATUS, item.status),
                        item.failureCode ? h('small', { class: 'muted' }, t(FAILURE_REASON[item.failureCode] ?? item.failureCode)) : null,
                        item.confirmedAt ? h('small', { class: 'confirmed' }, t('Thôn xác nhận đã nghe lúc {time}', { time: clock(item.confirmedAt) })) : null,
                        item.problemKind
                          ? h('small', { class: 'problem' }, t('Thôn báo: {kind}', { kind: t(PROBLEM_KIND[item.problemKind] ?? item.problemKind) }))
                          : null,
                      ),
                    ),
                  ),
                ),
              );
            }),
          )
        : h('p', { class: 'empty' }, 'Hôm nay không có lịch phát nào.'),
    );
  }

  function drawVillages(dir: Directory): void {
    const shown = dir.villages.filter((village) => dir.speakers.some((speaker) => speaker.villageId === village.id));
    replace(
      villages,
      h('h2', { id: 'villages-title' }, 'Loa theo thôn'),
      shown.length
        ? h(
            'ul',
            { class: 'village-grid' },
            shown.map((village) => {
              const speakers = dir.speakers.filter((speaker) => speaker.villageId === village.id && speaker.enabled);
              // Wired clusters are counted apart: Loa never reaches them, so they are neither online nor offline.
              const { online, offline, reachable, wired } = presence(speakers);
              return h(
                'li',
                { class: `village-tile ${offline ? 'has-offline' : online === reachable ? 'all-online' : ''}`, 'data-village': village.id },
                h('strong', {}, village.name),
                h(
                  'span',
                  { class: 'tally' },
                  h('span', { class: 'online' }, t('{n} trực tuyến', { n: online })),
                  ' · ',
                  h('span', { class: 'offline' }, t('{n} mất kết nối', { n: offline })),
                  wired ? ' · ' : null,
                  wired ? h('span', { class: 'wired' }, t('{n} loa dây', { n: wired })) : null,
                ),
                h(
                  'ul',
                  { class: 'speaker-dots' },
                  speakers.map((speaker) => h('li', {}, presenceBadge(speaker), ' ', speaker.name)),
                ),
              );
            }),
          )
        : h('p', { class: 'empty' }, 'Chưa có cụm loa nào.'),
    );
  }

  function drawProblems(dir: Directory): void {
    const reported = [...playbacks.values()].filter((item) => item.problemKind).sort((a, b) => (b.problemReportedAt ?? '').localeCompare(a.problemReportedAt ?? ''));
    replace(
      problems,
      h('h2', { id: 'problems-title' }, t('Sự cố do thôn báo ({days} ngày gần đây)', { days: PROBLEM_DAYS })),
      reported.length
        ? h(
            'ul',
            { class: 'rows' },
            reported.map((item) =>
              h(
                'li',
                { class: 'row problem-row', 'data-playback': item.id },
                h(
                  'div',
                  { class: 'row-main' },
                  h('strong', {}, t(PROBLEM_KIND[item.problemKind!] ?? item.problemKind!)),
                  h('span', {}, speakerLabel(dir, item.speakerId, item.villageId)),
                  item.problemNote ? h('span', { class: 'muted' }, `“${item.problemNote}”`) : null,
                ),
                h(
                  'div',
                  { class: 'row-side' },
                  h('small', {}, t('Buổi phát {time}', { time: when(item.scheduledAt) })),
                  h('small', {}, t('Báo lúc {time}', { time: when(item.problemReportedAt) })),
                ),
              ),
            ),
          )
        : h('p', { class: 'empty' }, 'Không có sự cố nào được báo.'),
    );
  }

  const stopLive = followLive({
    ready: () => void load(),
    playback: (data) => {
      const playback = data as unknown as Playback;
      playbacks.set(playback.id, playback);
      // A schedule created since the lists were loaded (an emergency broadcast from another desk), or one whose
      // playbacks were just withdrawn because it was stopped or cancelled: its status changed.
      const stoppedOrCancelled = playback.status === 'cancelled' || playback.failureCode === 'broadcast_stopped';
      if (!schedules.has(playback.scheduleId) || stoppedOrCancelled) scheduleReload();
      scheduleDraw();
    },
    speaker: (data) => {
      const speaker = directory?.speaker.get(String(data.id));
      if (!speaker || !directory) {
        void load();
        return;
      }
      Object.assign(speaker, { status: data.status, enabled: data.enabled, lastSeenAt: data.lastSeenAt });
      scheduleDraw();
    },
    state: (state: LiveState) => {
      const label = liveLabel(state);
      liveBadge.className = `badge tone-${label.tone} live-badge`;
      liveBadge.textContent = t(label.text);
      liveBadge.dataset.state = state;
    },
  });

  replace(
    main,
    h('div', { class: 'title-row' }, h('h1', {}, 'Tổng quan'), liveBadge),
    message,
    emergencies,
    slots,
    h('div', { class: 'grid2 wide-cards' }, villages, problems),
  );
  return () => {
    stopped = true;
    window.clearTimeout(drawTimer);
    window.clearTimeout(emergencyTimer);
    window.clearTimeout(reloadTimer);
    stopLive();
  };
}
