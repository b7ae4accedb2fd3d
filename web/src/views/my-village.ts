import { allItems, api } from '../api';
import { Directory, loadDirectory, speakerLabel } from '../directory';
import { field, h, notice, option, replace } from '../dom';
import { clock, currentZone, PLAYBACK_STATUS, PRIORITY, PROBLEM_KIND } from '../format';
import { lang, t } from '../i18n';
import { followLive, liveLabel } from '../live';
import { badge } from './bulletins';
import { Me } from '../session';
import { Playback } from './playback-types';

/** Re-draws now and then so a broadcast whose time has come offers its buttons without a reload. */
const TICK_MS = 30_000;
/** How long the operator may take back a "heard" (the API's own limit). */
const UNDO_MS = 5 * 60_000;
/** A problem of these kinds says nothing was heard, so "Đã nghe" is not offered after it; "other" may not. */
const NOTHING_HEARD = new Set(['speaker_broken', 'power_cut', 'no_signal', 'not_heard']);

/** Today in the commune's zone, as the heading reads it: "Chủ Nhật, 06/12/2026". */
function today(): string {
  const format = new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', {
    timeZone: currentZone(),
    weekday: 'long',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
  return format.format(new Date());
}

/**
 * Thôn của tôi (operators, phone first): today's broadcasts of my villages under the day's date; "Đã nghe" or a
 * problem, one tap each; a "heard" tapped by mistake can be taken back for five minutes.
 */
export function renderMyVillage(main: HTMLElement, me: Me): () => void {
  const playbacks = new Map<string, Playback>();
  /** Cards with an open problem form are left alone by live redraws, so typing is never interrupted. */
  const editing = new Set<string>();
  let directory: Directory | null = null;
  let stopped = false;
  const list = h('ul', { class: 'cards my-village', 'aria-live': 'polite', 'aria-label': 'Buổi phát hôm nay' });
  const message = h('div', { class: 'message' });
  const liveBadge = h('span', { class: 'badge tone-wait live-badge', role: 'status' }, 'Đang kết nối…');
  const heading = h('p', { class: 'lead' });
  const day = h('h2', { class: 'day-heading' });
  const cards = new Map<string, HTMLElement>();

  async function load(): Promise<void> {
    try {
      const [dir, today] = await Promise.all([directory ? Promise.resolve(directory) : loadDirectory(), allItems<Playback>('/playbacks', { date: 'today' })]);
      if (stopped) return;
      directory = dir;
      playbacks.clear();
      for (const playback of today) playbacks.set(playback.id, playback);
      heading.textContent = dir.villages.map((village) => village.name).join(', ');
      message.replaceChildren();
      draw();
    } catch (error) {
      if (!stopped) message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  function draw(): void {
    if (!directory) return;
    day.textContent = today();
    const shown = [...playbacks.values()]
      .filter((item) => item.status !== 'cancelled')
      .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.speakerId.localeCompare(b.speakerId));
    if (!shown.length) {
      replace(list, h('li', { class: 'empty' }, 'Hôm nay thôn của bạn không có buổi phát nào.'));
      cards.clear();
      return;
    }
    const next = shown.map((item) => (editing.has(item.id) && cards.has(item.id) ? cards.get(item.id)! : cardOf(item)));
    cards.clear();
    shown.forEach((item, index) => cards.set(item.id, next[index]));
    // Keep the focused button where it was when its own card did not change.
    const focused = document.activeElement;
    replace(list, next);
    if (focused instanceof HTMLElement && focused.dataset.focusKey) list.querySelector<HTMLElement>(`[data-focus-key="${focused.dataset.focusKey}"]`)?.focus();
  }

  function cardOf(item: Playback): HTMLElement {
    const due = new Date(item.scheduledAt).getTime() <= Date.now();
    const message = h('div', { class: 'message' });
    const actions = h('div', { class: 'actions big' });
    const card = h(
      'li',
      { class: 'card broadcast', 'data-playback': item.id, 'data-status': item.status },
      h(
        'div',
        { class: 'card-head' },
        h('h2', {}, h('span', { class: 'slot-time' }, clock(item.scheduledAt)), ' ', speakerLabel(directory!, item.speakerId, item.villageId)),
        h('span', {}, item.priority !== 'normal' ? badge(PRIORITY, item.priority) : null, ' ', badge(PLAYBACK_STATUS, item.status)),
      ),
      item.confirmedAt ? notice('ok', t('Bạn đã xác nhận đã nghe lúc {time}.', { time: clock(item.confirmedAt) }), { dismissible: false }) : null,
      item.problemKind ? notice('info', t('Đã báo sự cố: {kind}.', { kind: t(PROBLEM_KIND[item.problemKind] ?? item.problemKind) }), { dismissible: false }) : null,
      actions,
      message,
    );
    if (!due) {
      actions.append(h('p', { class: 'muted' }, 'Chưa đến giờ phát. Sau khi nghe, bạn xác nhận tại đây.'));
      return card;
    }
    const send = async (method: 'POST' | 'DELETE', path: 'confirm' | 'problem', body: Record<string, string> | undefined, done: string) => {
      for (const button of card.querySelectorAll('button')) button.disabled = true;
      try {
        const answer = await api<Playback | null>(method, `/playbacks/${item.id}/${path}`, body);
        editing.delete(item.id);
        // The answer is the playback as it now is; without one, read the day again.
        if (answer?.id === item.id) {
          playbacks.set(item.id, answer);
          draw();
        } else await load();
        announce(done);
      } catch (error) {
        message.replaceChildren(notice('error', (error as Error).message));
        for (const button of card.querySelectorAll('button')) button.disabled = false;
      }
    };
    // Only a broadcast on air or played can be confirmed as heard; for the others the operator reports a problem,
    // and after reporting that nothing was heard, "heard" is no longer offered.
    const heardPossible = !item.problemKind || !NOTHING_HEARD.has(item.problemKind);
    if (!item.confirmedAt && heardPossible && (item.status === 'playing' || item.status === 'played')) {
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-focus-key': `confirm-${item.id}`,
            onclick: () => void send('POST', 'confirm', {}, t('Đã ghi nhận: đã nghe.')),
          },
          'Đã nghe',
        ),
      );
    }
    if (item.confirmedAt && item.confirmedBy === me.id && Date.now() - new Date(item.confirmedAt).getTime() < UNDO_MS) {
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-focus-key': `undo-${item.id}`,
            onclick: () => void send('DELETE', 'confirm', undefined, t('Đã rút lại xác nhận đã nghe.')),
          },
          'Rút lại "Đã nghe"',
        ),
      );
    }
    if (!item.problemKind) {
      const kind = h(
        'select',
        { name: 'kind', required: true },
        option('', '— Chọn lý do —'),
        Object.entries(PROBLEM_KIND).map(([value, label]) => option(value, t(label))),
      );
      const note = h('textarea', { name: 'note', rows: 2, maxLength: 500 });
      const form = h(
        'form',
        {
          class: 'problem-form',
          hidden: true,
          onsubmit: (event: Event) => {
            event.preventDefault();
            if (!kind.value) {
              message.replaceChildren(notice('error', 'Hãy chọn lý do sự cố.'));
              kind.focus();
              return;
            }
            void send('POST', 'problem', { kind: kind.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) }, t('Đã gửi báo cáo sự cố.'));
          },
        },
        field('Lý do', kind),
        field('Ghi chú (không bắt buộc)', note),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', class: 'danger' }, 'Gửi báo sự cố'),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                form.hidden = true;
                editing.delete(item.id);
                opener.hidden = false;
                opener.focus();
              },
            },
            'Thôi',
          ),
        ),
      );
      const opener = h(
        'button',
        {
          type: 'button',
          class: 'danger-outline',
          'data-focus-key': `problem-${item.id}`,
          onclick: () => {
            form.hidden = false;
            opener.hidden = true;
            editing.add(item.id);
            kind.focus();
          },
        },
        'Báo sự cố',
      );
      actions.append(opener);
      card.append(form);
    }
    return card;
  }

  const status = h('div', { class: 'sr-status', role: 'status' });
  function announce(text: string): void {
    status.textContent = text;
  }

  const stopLive = followLive({
    ready: () => void load(),
    playback: (data) => {
      const playback = data as unknown as Playback;
      playbacks.set(playback.id, playback);
      draw();
    },
    state: (state) => {
      const label = liveLabel(state);
      liveBadge.className = `badge tone-${label.tone} live-badge`;
      liveBadge.textContent = t(label.text);
      liveBadge.dataset.state = state;
    },
  });
  const tick = window.setInterval(draw, TICK_MS);

  replace(main, h('div', { class: 'title-row' }, h('h1', {}, 'Thôn của tôi'), liveBadge), heading, day, message, status, list);
  return () => {
    stopped = true;
    window.clearInterval(tick);
    stopLive();
  };
}
