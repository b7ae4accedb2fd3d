import { allPageItems, api, query } from '../api';
import { Directory, loadDirectory } from '../directory';
import { h, notice, replace } from '../dom';
import { clock, localParts, PRIORITY, SCHEDULE_STATUS, startOfLocalDay, when } from '../format';
import { t } from '../i18n';
import { Me } from '../session';
import { describeTiming } from '../timing';
import { badge } from './bulletins';
import { ScheduleHold, ScheduleSummary } from './playback-types';
import { ScheduleForm, scheduleForm } from './schedule-form';

interface Occurrence {
  at: string;
}

const DAY_NAMES = ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ Nhật'];

/**
 * Lịch phát: a week calendar of occurrences, the schedules with edit / pause / resume / cancel, and the form to create
 * (or edit) one. Leaving with a half-filled form asks first: the browser's own prompt on reload or close, a confirm on
 * the console's menu.
 */
export function renderSchedules(main: HTMLElement, me: Me): () => void {
  const canWrite = me.role === 'admin' || me.role === 'editor';
  let directory: Directory | null = null;
  let schedules: ScheduleSummary[] = [];
  let weekOffset = 0;
  let stopped = false;
  const message = h('div', { class: 'message' });
  const calendar = h('section', { class: 'card', 'aria-labelledby': 'week-title' });
  const list = h('section', { class: 'card', 'aria-labelledby': 'list-title' });
  const formBox = h('div', {});
  let form: ScheduleForm | null = null;
  const leaveQuestion = () => t('Biểu mẫu lịch phát chưa được lưu. Rời trang và bỏ những gì đã nhập?');
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (!form?.dirty()) return;
    event.preventDefault();
    event.returnValue = leaveQuestion();
  };
  /** The menu's links, the language switch and Đăng xuất redraw the screen, which no handler can undo: the click is stopped before it. */
  const menuClick = (event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a[href^="#/"], header.top button');
    if (!link || !form?.dirty() || confirm(leaveQuestion())) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  window.addEventListener('beforeunload', beforeUnload);
  document.addEventListener('click', menuClick, true);

  /** The create form, or the edit form of `schedule`; back to the create form once that is saved or closed. */
  function showForm(dir: Directory, schedule: ScheduleSummary | null): void {
    /** The edit form goes with its message: the page says the change was saved, once the list shows it. */
    const back = (edited: ScheduleSummary) => {
      showForm(dir, null);
      void load().then(() => message.replaceChildren(notice('ok', t('Đã lưu thay đổi của lịch “{title}”.', { title: edited.title }))));
    };
    form = scheduleForm(dir, () => schedules, schedule ? back : () => void load(), schedule ? { schedule, closed: () => showForm(dir, null) } : null);
    replace(formBox, form.element);
    if (schedule) form.element.scrollIntoView({ block: 'start' });
  }

  async function load(): Promise<void> {
    try {
      const [dir, items] = await Promise.all([directory ? Promise.resolve(directory) : loadDirectory(), allPageItems<ScheduleSummary>('/schedules')]);
      if (stopped) return;
      directory = dir;
      schedules = items;
      message.replaceChildren();
      // The list and the week change together, so a cancelled schedule never shows in one and not the other.
      await drawWeek(drawList);
      if (canWrite && !formBox.firstChild) showForm(dir, null);
    } catch (error) {
      if (!stopped) message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  /** Monday 00:00 (commune's zone) of the shown week. */
  function weekStart(): Date {
    const today = startOfLocalDay(new Date());
    const { year, month, day } = localParts(today);
    const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    return startOfLocalDay(today, weekOffset * 7 - weekday);
  }

  /** Draws the shown week once its occurrences are read; `alongside` draws anything that must change with it. */
  async function drawWeek(alongside?: () => void): Promise<void> {
    const start = weekStart();
    const end = startOfLocalDay(start, 7);
    const shown = schedules.filter((schedule) => schedule.status !== 'cancelled');
    const perSchedule = await Promise.all(
      shown.map(async (schedule) => {
        const preview = await api<{ occurrences: Occurrence[] }>(
          'GET',
          `/schedules/${schedule.id}/occurrences${query({ from: start.toISOString(), to: end.toISOString() })}`,
        ).catch(() => ({ occurrences: [] }));
        return preview.occurrences.map((occurrence) => ({ schedule, at: new Date(occurrence.at) }));
      }),
    );
    if (stopped) return;
    alongside?.();
    const days = Array.from({ length: 7 }, (_, index) => startOfLocalDay(start, index));
    const entries = perSchedule.flat().sort((a, b) => a.at.getTime() - b.at.getTime());
    const todayStart = startOfLocalDay(new Date()).getTime();
    const navigate = (delta: number) => {
      weekOffset = delta === 0 ? 0 : weekOffset + delta;
      void drawWeek();
    };
    replace(
      calendar,
      h(
        'div',
        { class: 'card-head' },
        h('h2', { id: 'week-title' }, t('Tuần {from} – {to}', { from: shortDay(days[0]), to: shortDay(days[6]) })),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'secondary small', onclick: () => navigate(-1) }, '‹ Tuần trước'),
          h('button', { type: 'button', class: 'secondary small', onclick: () => navigate(0) }, 'Tuần này'),
          h('button', { type: 'button', class: 'secondary small', onclick: () => navigate(1) }, 'Tuần sau ›'),
        ),
      ),
      h(
        'ol',
        { class: 'week' },
        days.map((day, index) => {
          const next = startOfLocalDay(day, 1);
          const items = entries.filter((entry) => entry.at >= day && entry.at < next);
          return h(
            'li',
            { class: `week-day ${day.getTime() === todayStart ? 'today' : ''}`, 'data-day': index },
            h('h3', {}, t(DAY_NAMES[index]), ' ', h('span', { class: 'muted' }, shortDay(day))),
            items.length
              ? h(
                  'ul',
                  { class: 'chips' },
                  items.map((entry) =>
                    h(
                      'li',
                      {
                        class: `chip priority-${entry.schedule.priority} ${entry.schedule.status === 'paused' ? 'paused' : ''}`,
                        title: entry.schedule.status === 'paused' ? t('Tạm dừng') : undefined,
                      },
                      h('strong', {}, clock(entry.at)),
                      ' ',
                      entry.schedule.title,
                      entry.schedule.status === 'paused' ? ` (${t('tạm dừng')})` : '',
                    ),
                  ),
                )
              : h('p', { class: 'muted small' }, 'Không có buổi phát'),
          );
        }),
      ),
    );
  }

  function drawList(): void {
    const ordered = [...schedules].sort((a, b) => statusRank(a) - statusRank(b));
    replace(
      list,
      h('h2', { id: 'list-title' }, 'Các lịch phát'),
      ordered.length ? h('ul', { class: 'rows' }, ordered.map(row)) : h('p', { class: 'empty' }, 'Chưa có lịch phát nào.'),
    );
  }

  function row(schedule: ScheduleSummary): HTMLElement {
    const result = h('div', { class: 'message' });
    const actions = h('div', { class: 'actions' });
    const act = async (action: 'pause' | 'resume' | 'cancel', done: string) => {
      for (const button of actions.querySelectorAll('button')) button.disabled = true;
      try {
        await api('POST', `/schedules/${schedule.id}/${action}`);
        await load();
        message.replaceChildren(notice('ok', t(done, { title: schedule.title })));
      } catch (error) {
        result.replaceChildren(notice('error', (error as Error).message));
        for (const button of actions.querySelectorAll('button')) button.disabled = false;
      }
    };
    const editable = canWrite && schedule.status !== 'cancelled' && !schedule.finished && schedule.priority !== 'emergency';
    if (editable)
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onclick: () => {
              if (form?.dirty() && !confirm(leaveQuestion())) return;
              showForm(directory!, schedule);
            },
          },
          'Sửa',
        ),
      );
    if (canWrite && schedule.status === 'active' && !schedule.finished)
      actions.append(h('button', { type: 'button', class: 'secondary small', onclick: () => void act('pause', 'Đã tạm dừng lịch “{title}”.') }, 'Tạm dừng'));
    if (canWrite && schedule.status === 'paused')
      actions.append(h('button', { type: 'button', class: 'secondary small', onclick: () => void act('resume', 'Đã tiếp tục lịch “{title}”.') }, 'Tiếp tục'));
    if (canWrite && schedule.status !== 'cancelled') {
      const confirmBox = h(
        'span',
        { class: 'confirm', hidden: true },
        h('span', {}, 'Hủy hẳn lịch này? Không thể hoàn tác.'),
        ' ',
        h('button', { type: 'button', class: 'danger small', onclick: () => void act('cancel', 'Đã hủy lịch “{title}”.') }, 'Xác nhận hủy'),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onclick: () => {
              confirmBox.hidden = true;
              opener.hidden = false;
              opener.focus();
            },
          },
          'Không',
        ),
      );
      const opener = h(
        'button',
        {
          type: 'button',
          class: 'danger-outline small',
          onclick: () => {
            confirmBox.hidden = false;
            opener.hidden = true;
            confirmBox.querySelector('button')?.focus();
          },
        },
        'Hủy lịch…',
      );
      actions.append(opener, confirmBox);
    }
    return h(
      'li',
      { class: 'row schedule', 'data-schedule': schedule.id },
      h(
        'div',
        { class: 'row-main' },
        h('strong', {}, schedule.title),
        h('span', {}, describeTiming(schedule)),
        h('span', { class: 'muted' }, targetText(schedule)),
        schedule.validUntil ? h('small', { class: 'muted' }, t('Áp dụng đến {time}', { time: when(schedule.validUntil) })) : null,
        schedule.quarantine
          ? notice('error', t('Lịch này đang bị tạm giữ và không được phát: {reason}. Hãy sửa thời gian phát.', { reason: schedule.quarantine.reason }))
          : null,
        schedule.hold && schedule.status === 'paused' ? holdNotice(schedule.hold) : null,
      ),
      h(
        'div',
        { class: 'row-side' },
        schedule.finished ? badge(SCHEDULE_STATUS, 'finished') : badge(SCHEDULE_STATUS, schedule.status),
        schedule.priority !== 'normal' ? badge(PRIORITY, schedule.priority) : null,
        schedule.chime ? h('small', {}, 'Có nhạc hiệu') : null,
        actions,
        result,
      ),
    );
  }

  function targetText(schedule: ScheduleSummary): string {
    if (!directory) return '';
    const names = [
      ...schedule.targets.communeIds.map((id) => t('toàn bộ {name}', { name: directory!.commune.get(id)?.name ?? '' })),
      ...schedule.targets.villageIds.map((id) => directory!.village.get(id)?.name ?? ''),
      ...schedule.targets.speakerIds.map((id) => directory!.speaker.get(id)?.name ?? ''),
    ].filter(Boolean);
    return `${t('Nơi phát')}: ${names.join(', ') || '—'}`;
  }

  replace(main, h('h1', {}, 'Lịch phát'), message, calendar, formBox, list);
  void load();
  return () => {
    stopped = true;
    window.removeEventListener('beforeunload', beforeUnload);
    document.removeEventListener('click', menuClick, true);
  };
}

/** Why a schedule is held, and what the editor can do about it. */
function holdNotice(hold: ScheduleHold): HTMLElement {
  const title = hold.bulletin?.title ?? t('đã xóa');
  const why =
    hold.code === 'bulletin_archived'
      ? t('Lịch tạm dừng từ {time} vì bản tin “{title}” đã được lưu trữ; không buổi phát nào của lịch được phát.', { time: when(hold.since), title })
      : t('Lịch tạm dừng từ {time} vì lãnh đạo đã từ chối bản tin “{title}”; không buổi phát nào của lịch được phát.', { time: when(hold.since), title });
  const reason =
    hold.code === 'bulletin_rejected' && hold.bulletin?.status === 'rejected' && hold.bulletin.statusReason
      ? ` ${t('Lý do: {reason}.', { reason: hold.bulletin.statusReason })}`
      : '';
  const next =
    hold.bulletin?.status === 'approved'
      ? t('Bản tin đã được duyệt lại: bấm “Tiếp tục” để phát lại theo lịch.')
      : t('Hãy thay bản tin khác trong lịch, hoặc đề nghị lãnh đạo duyệt lại, rồi bấm “Tiếp tục”.');
  return h('div', { class: 'notice notice-error', role: 'alert', 'data-hold': hold.code }, `${why}${reason} ${next}`);
}

/** Active first, then paused, then the ones done: aired one-offs, cancelled. */
function statusRank(schedule: ScheduleSummary): number {
  if (schedule.finished) return 2;
  return schedule.status === 'active' ? 0 : schedule.status === 'paused' ? 1 : 3;
}

function shortDay(day: Date): string {
  const { day: date, month } = localParts(day);
  return `${String(date).padStart(2, '0')}/${String(month).padStart(2, '0')}`;
}
