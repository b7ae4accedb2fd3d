import { allPageItems, api, query } from '../api';
import { Directory } from '../directory';
import { field, h, notice, option, replace } from '../dom';
import { clock, duration, localDay, when, zonedInstant } from '../format';
import { t } from '../i18n';
import { parseTimes, Repeat, startsWithin, Timing, TimingError, timingBody, timingOf } from '../timing';
import { ScheduleSummary } from './playback-types';
import { targetPicker } from './target-picker';

interface ApprovedBulletin {
  id: string;
  title: string;
  communeId: string;
  durationMs: number | null;
  originalDurationMs: number;
}
interface Preview {
  occurrences: { at: string; endsAt: string }[];
  speakers: { id: string; name: string }[];
  overlaps: { speakerName: string; at: string; otherTitle: string; otherAt: string; overlapSeconds: number }[];
}
interface Overlap {
  speaker: string;
  at: Date;
  other: string;
  otherAt: Date;
}

/** The pre-announcement chime, as the API counts it against the session cap (src/schedules/program.ts). */
const CHIME_MS = 5_000;
/** How far ahead the form looks for overlaps before saving. */
const CHECK_DAYS = 7;

const PRESETS: { label: string; repeat: Repeat; times: string }[] = [
  { label: 'Hằng ngày 06:00 và 17:00', repeat: 'daily', times: '06:00, 17:00' },
  { label: 'Thứ Hai – Thứ Sáu', repeat: 'weekdays', times: '06:00, 17:00' },
  { label: 'Phát một lần', repeat: 'once', times: '' },
];

export interface ScheduleForm {
  element: HTMLElement;
  /** Something was typed or ticked and not saved yet: leaving would lose it. */
  dirty(): boolean;
}

/**
 * Tạo lịch phát, or Sửa lịch phát when `editing` is given (the same fields, filled from the schedule, saved with
 * PATCH): program, timing by preset, targets, priority, chime; session-length and overlap warnings before saving.
 */
export function scheduleForm(
  directory: Directory,
  schedules: () => ScheduleSummary[],
  saved: (schedule: ScheduleSummary) => void,
  editing: { schedule: ScheduleSummary; closed: () => void } | null = null,
): ScheduleForm {
  const title = h('input', { name: 'title', required: true, maxLength: 200 });
  const repeat = h('select', { name: 'repeat' }, option('daily', t('Hằng ngày')), option('weekdays', t('Thứ Hai – Thứ Sáu')), option('once', t('Một lần')));
  const times = h('input', { name: 'times', autocomplete: 'off' });
  const date = h('input', { name: 'date', type: 'date' });
  const dateField = field('Ngày phát', date);
  const until = h('input', { name: 'validUntil', type: 'date' });
  const untilField = field('Áp dụng đến hết ngày (không bắt buộc)', until);
  const priority = h('select', { name: 'priority' }, option('normal', t('Thông thường')), option('priority', t('Ưu tiên (phát trước lịch thông thường)')));
  const chime = h('input', { name: 'chime', type: 'checkbox', id: 'schedule-chime' });
  const bulletinBox = h(
    'fieldset',
    { class: 'program' },
    h('legend', {}, 'Bản tin sẽ phát (theo thứ tự chọn)'),
    h('p', { class: 'muted' }, 'Đang tải bản tin đã duyệt…'),
  );
  const order: string[] = [];
  const bulletins = new Map<string, ApprovedBulletin>();
  const orderNote = h('p', { class: 'muted program-order' });
  const warnings = h('div', { class: 'warnings', 'aria-live': 'polite' });
  const message = h('div', { class: 'message' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Kiểm tra và lưu lịch');
  const picker = targetPicker(directory, () => resetCheck());
  /** Set once the warnings for exactly this input were shown: the next submit saves. */
  let checked = false;
  let dirty = false;
  /** A stored rule the form cannot show as days and times: kept unless the editor types new times. */
  const customRule = editing !== null && timingOf(editing.schedule) === null;
  let timesTyped = false;

  const syncRepeat = () => {
    dateField.hidden = repeat.value !== 'once';
    untilField.hidden = repeat.value === 'once';
    resetCheck();
  };
  repeat.addEventListener('change', syncRepeat);
  /** The commonest schedule: daily at 06:00 and 17:00. */
  const setDefaults = () => {
    repeat.value = 'daily';
    times.value = '06:00, 17:00';
    date.value = localDay(new Date());
    syncRepeat();
  };
  setDefaults();

  const presetButtons = PRESETS.map((preset) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small preset',
        onclick: () => {
          repeat.value = preset.repeat;
          if (preset.repeat === 'once') {
            const soon = new Date(Date.now() + 3_600_000);
            date.value = localDay(soon);
            times.value = clock(soon);
          } else times.value = preset.times;
          syncRepeat();
          times.focus();
        },
      },
      preset.label,
    ),
  );

  void allPageItems<ApprovedBulletin>('/bulletins', { status: 'approved', pageSize: '100' })
    .then((answer) => {
      for (const item of answer) bulletins.set(item.id, item);
      // Editing: the program as saved, in its order (a bulletin no longer approved must be replaced).
      if (editing) order.push(...editing.schedule.bulletinIds.filter((id) => bulletins.has(id)));
      replace(
        bulletinBox,
        h('legend', {}, 'Bản tin sẽ phát (theo thứ tự chọn)'),
        answer.length
          ? answer.map((item) => {
              const box = h('input', {
                type: 'checkbox',
                name: 'bulletinIds',
                value: item.id,
                id: `program-${item.id}${editing ? '-edit' : ''}`,
                checked: order.includes(item.id),
                onchange: () => {
                  const at = order.indexOf(item.id);
                  if (box.checked && at < 0) order.push(item.id);
                  if (!box.checked && at >= 0) order.splice(at, 1);
                  describeOrder();
                  resetCheck();
                },
              });
              return h('div', { class: 'check' }, box, h('label', { htmlFor: box.id }, `${item.title} (${duration(item.durationMs ?? item.originalDurationMs)})`));
            })
          : h('p', { class: 'muted' }, 'Chưa có bản tin nào được duyệt. Lãnh đạo duyệt bản tin trước khi lên lịch.'),
        orderNote,
      );
      describeOrder();
    })
    .catch((error: Error) => replace(bulletinBox, notice('error', error.message)));

  function describeOrder(): void {
    orderNote.textContent = order.length ? `${t('Thứ tự phát')}: ${order.map((id, index) => `${index + 1}. ${bulletins.get(id)?.title ?? ''}`).join('  ')}` : '';
  }

  function resetCheck(): void {
    dirty = true;
    checked = false;
    submit.textContent = t('Kiểm tra và lưu lịch');
    warnings.replaceChildren();
  }
  for (const input of [title, times, date, until, priority, chime]) input.addEventListener('input', resetCheck);
  times.addEventListener('input', () => (timesTyped = true));

  function programMs(): number {
    return order.reduce((sum, id) => sum + (bulletins.get(id)?.durationMs ?? bulletins.get(id)?.originalDurationMs ?? 0), 0) + (chime.checked ? CHIME_MS : 0);
  }

  /** Where this program would share a speaker, at the same time, with another active schedule in the next days. */
  async function overlaps(timing: Timing, lengthMs: number): Promise<Overlap[]> {
    const from = new Date();
    const mine = startsWithin(timing, from, CHECK_DAYS);
    if (!mine.length) return [];
    const to = new Date(Math.max(from.getTime() + CHECK_DAYS * 86_400_000, mine[mine.length - 1].getTime() + lengthMs) + 1);
    const speakers = picker.speakerIds();
    const found: Overlap[] = [];
    const others = schedules().filter((schedule) => schedule.status === 'active' && schedule.targets && schedule.id !== editing?.schedule.id);
    await Promise.all(
      others.map(async (other) => {
        const preview = await api<Preview>(
          'GET',
          `/schedules/${other.id}/occurrences${query({ from: new Date(from.getTime() - other.programSeconds * 1000).toISOString(), to: to.toISOString() })}`,
        );
        const shared = preview.speakers.filter((speaker) => speakers.has(speaker.id));
        if (!shared.length) return;
        for (const start of mine) {
          const end = start.getTime() + lengthMs;
          for (const occurrence of preview.occurrences) {
            const otherStart = new Date(occurrence.at).getTime();
            if (otherStart < end && new Date(occurrence.endsAt).getTime() > start.getTime()) {
              for (const speaker of shared) found.push({ speaker: speaker.name, at: start, other: other.title, otherAt: new Date(occurrence.at) });
            }
          }
        }
      }),
    );
    return found.sort((a, b) => a.at.getTime() - b.at.getTime() || a.speaker.localeCompare(b.speaker, 'vi'));
  }

  function overlapList(items: { speaker: string; at: string | Date; other: string; otherAt: string | Date }[]): HTMLElement {
    const shown = items.slice(0, 20);
    return h(
      'ul',
      { class: 'overlap-list' },
      shown.map((item) =>
        h(
          'li',
          {},
          t('{speaker}: {at} trùng với “{other}” lúc {otherAt}', {
            speaker: item.speaker,
            at: when(String(item.at instanceof Date ? item.at.toISOString() : item.at)),
            other: item.other,
            otherAt: clock(item.otherAt),
          }),
        ),
      ),
      items.length > shown.length ? h('li', {}, t('… và {n} chỗ trùng khác', { n: items.length - shown.length })) : null,
    );
  }

  const form = h(
    'form',
    {
      class: 'card editor schedule-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        message.replaceChildren();
        let body: Record<string, unknown>;
        let timing: Timing;
        try {
          if (!title.value.trim()) throw new TimingError(t('Hãy đặt tên cho lịch phát.'));
          if (!order.length) throw new TimingError(t('Hãy chọn ít nhất một bản tin đã duyệt.'));
          const targets = picker.targets();
          if (!Object.keys(targets).length) throw new TimingError(t('Hãy chọn nơi phát: xã, thôn hoặc cụm loa.'));
          const keepRule = customRule && !timesTyped;
          timing = keepRule ? { repeat: 'daily', times: [] } : { repeat: repeat.value as Repeat, times: parseTimes(times.value), date: date.value };
          body = {
            title: title.value.trim(),
            bulletinIds: order,
            targets,
            ...(keepRule ? {} : timingBody(timing)),
            priority: priority.value,
            chime: chime.checked,
            ...(timing.repeat !== 'once' && until.value ? { validUntil: endOfDay(until.value) } : editing && timing.repeat !== 'once' ? { validUntil: null } : {}),
          };
        } catch (error) {
          message.replaceChildren(notice('error', (error as Error).message));
          return;
        }
        submit.disabled = true;
        try {
          if (!checked) {
            const lengthMs = programMs();
            const commune = directory.commune.get(bulletins.get(order[0])?.communeId ?? '') ?? directory.communes[0];
            const capMs = (commune?.maxSessionSeconds ?? 2700) * 1000;
            if (lengthMs > capMs) {
              replace(
                warnings,
                notice(
                  'error',
                  t('Chương trình dài {length}, vượt giới hạn một buổi phát của xã ({cap}). Hãy bớt bản tin.', { length: duration(lengthMs), cap: duration(capMs) }),
                ),
              );
              return;
            }
            const found = await overlaps(timing, lengthMs);
            checked = true;
            if (found.length) {
              replace(
                warnings,
                h(
                  'div',
                  { class: 'notice notice-info', role: 'alert' },
                  h(
                    'p',
                    {},
                    t(
                      'Lịch này sẽ trùng giờ với lịch khác trên {n} lượt loa trong {days} ngày tới. Lịch ưu tiên cao hơn phát trước; lịch thông thường chờ đến lượt trong thời gian cho phép.',
                      { n: found.length, days: CHECK_DAYS },
                    ),
                  ),
                  overlapList(found),
                ),
              );
              submit.textContent = t('Vẫn lưu lịch');
              return;
            }
            replace(warnings, notice('ok', t('Chương trình dài {length}, trong giới hạn của xã; không trùng giờ với lịch nào.', { length: duration(lengthMs) })));
          }
          const created = editing
            ? await api<ScheduleSummary>('PATCH', `/schedules/${editing.schedule.id}`, body)
            : await api<ScheduleSummary>('POST', '/schedules', body);
          // The API's own overlap check, over the week ahead, now that the schedule exists.
          const preview = await api<Preview>('GET', `/schedules/${created.id}/occurrences`).catch(() => null);
          if (!editing) {
            form.reset();
            order.splice(0);
            describeOrder();
            setDefaults();
          }
          dirty = false;
          replace(
            message,
            notice('ok', t(editing ? 'Đã lưu thay đổi của lịch “{title}”.' : 'Đã lưu lịch “{title}”.', { title: created.title })),
            preview?.overlaps.length
              ? h(
                  'div',
                  { class: 'notice notice-info' },
                  h('p', {}, 'Máy chủ báo lịch này trùng giờ với:'),
                  overlapList(preview.overlaps.map((item) => ({ speaker: item.speakerName, at: item.at, other: item.otherTitle, otherAt: item.otherAt }))),
                )
              : null,
          );
          saved(created);
        } catch (error) {
          message.replaceChildren(notice('error', (error as Error).message));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', {}, editing ? t('Sửa lịch “{title}”', { title: editing.schedule.title }) : t('Tạo lịch phát')),
    customRule ? notice('info', t('Lịch này dùng quy tắc lặp riêng; giữ nguyên nếu bạn không nhập giờ phát mới.')) : null,
    field('Tên lịch phát', title),
    bulletinBox,
    h('div', { class: 'presets', role: 'group', 'aria-label': 'Mẫu có sẵn' }, h('span', { class: 'muted' }, 'Mẫu có sẵn:'), presetButtons),
    h('div', { class: 'grid2' }, field('Lặp lại', repeat), field('Giờ phát', times, 'Dạng 6h, 17h30 hoặc 06:00; nhiều giờ cách nhau bởi dấu phẩy.')),
    h('div', { class: 'grid2' }, dateField, untilField),
    field('Mức ưu tiên', priority, 'Phát khẩn cấp dùng màn hình “Phát khẩn cấp”.'),
    h('div', { class: 'check' }, chime, h('label', { htmlFor: chime.id }, 'Phát nhạc hiệu báo trước (5 giây)')),
    picker.element,
    warnings,
    message,
    h(
      'div',
      { class: 'actions' },
      submit,
      editing
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                if (dirty && !confirm(t('Bỏ các thay đổi chưa lưu?'))) return;
                dirty = false;
                editing.closed();
              },
            },
            'Thôi sửa',
          )
        : null,
    ),
  );
  if (editing) fill(editing.schedule);
  dirty = false;
  return { element: form, dirty: () => dirty };

  /** The saved schedule's fields, as the form shows them. */
  function fill(schedule: ScheduleSummary): void {
    title.value = schedule.title;
    const timing = timingOf(schedule);
    repeat.value = timing?.repeat ?? 'daily';
    times.value = timing?.times.join(', ') ?? '';
    if (timing?.date) date.value = timing.date;
    until.value = schedule.validUntil ? localDay(new Date(schedule.validUntil)) : '';
    priority.value = schedule.priority === 'priority' ? 'priority' : 'normal';
    chime.checked = schedule.chime;
    picker.select(schedule.targets);
    syncRepeat();
  }
}

/** The last second of a local day, as the API's validUntil (inclusive). */
function endOfDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  return new Date(zonedInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()).getTime() - 1000).toISOString();
}
