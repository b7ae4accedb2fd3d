import { allPageItems, allItems, api } from '../api';
import { Directory, loadDirectory, speakerLabel } from '../directory';
import { field, h, notice, option, replace } from '../dom';
import { clock, FAILURE_REASON, localDay, PLAYBACK_STATUS, zonedInstant } from '../format';
import { t } from '../i18n';
import { followLive, liveLabel } from '../live';
import { badge } from './bulletins';
import { Playback, ScheduleSummary } from './playback-types';
import { targetPicker } from './target-picker';

interface Named {
  id: string;
  title: string;
}
interface BroadcastAnswer {
  id: string;
  playbacks: Playback[];
}

const REPEATS = [60, 120, 180];
const TERMINAL = ['played', 'failed', 'missed', 'preempted', 'cancelled'];
/** How long a finished one-off broadcast stays on screen, with its results. */
const RECENT_MS = 6 * 3_600_000;

/** Phát khẩn cấp: a two-step confirmed form, per-speaker progress as it goes on air, and stop. */
export function renderEmergency(main: HTMLElement): () => void {
  const playbacks = new Map<string, Playback>();
  let broadcasts: ScheduleSummary[] = [];
  let directory: Directory | null = null;
  let stopped = false;
  /** What came of the editor's last stop: kept until the next one, whatever live updates redraw meanwhile. */
  const message = h('div', { class: 'message' });
  /** Why the broadcasts could not be read; cleared by the next read that works. */
  const loadProblem = h('div', { class: 'message' });
  const formBox = h('div', {});
  const progress = h('section', { class: 'progress-list', 'aria-live': 'polite', 'aria-label': 'Tiến độ phát khẩn cấp' });
  const liveBadge = h('span', { class: 'badge tone-wait live-badge', role: 'status' }, 'Đang kết nối…');

  /**
   * Reads are asked for by live updates and by a stop, often while one is under way: they run one at a time, and
   * every ask made meanwhile is answered by one more read after it, so the last drawing always comes from the newest
   * read (an older answer never brings back a stopped broadcast) and a stream of updates never starves the screen.
   */
  let reading: Promise<void> | null = null;
  let readAgain: Promise<void> | null = null;

  function load(): Promise<void> {
    if (!reading) {
      reading = readOnce().finally(() => (reading = null));
      return reading;
    }
    readAgain ??= reading.then(() => {
      readAgain = null;
      return load();
    });
    return readAgain;
  }

  async function readOnce(): Promise<void> {
    try {
      const [dir, schedules] = await Promise.all([
        directory ? Promise.resolve(directory) : loadDirectory(),
        allPageItems<ScheduleSummary>('/schedules', { status: 'active' }),
      ]);
      if (stopped) return;
      const firstLoad = !directory;
      directory = dir;
      const emergencies = schedules.filter((schedule) => schedule.priority === 'emergency');
      const lists = await Promise.all(emergencies.map((broadcast) => allItems<Playback>('/playbacks', { scheduleId: broadcast.id })));
      if (stopped) return;
      for (const playback of lists.flat()) playbacks.set(playback.id, playback);
      // A one-off that aired long ago stays `active` until stopped; only broadcasts still going or recent are shown.
      broadcasts = emergencies.filter((broadcast, index) =>
        lists[index].some((item) => !TERMINAL.includes(item.status) || Date.now() - new Date(item.scheduledAt).getTime() < RECENT_MS),
      );
      if (firstLoad) replace(formBox, emergencyForm(dir, started));
      loadProblem.replaceChildren();
      drawProgress();
    } catch (error) {
      if (!stopped) loadProblem.replaceChildren(notice('error', (error as Error).message));
    }
  }

  function started(answer: BroadcastAnswer): void {
    for (const playback of answer.playbacks) playbacks.set(playback.id, playback);
    void load().then(() => progress.querySelector<HTMLElement>(`[data-broadcast="${answer.id}"] h2`)?.focus());
  }

  /**
   * One card per broadcast, kept across live updates: only its tally and rows change, so a stop being confirmed
   * stays open.
   */
  const cards = new Map<string, ProgressCard>();

  function drawProgress(): void {
    if (!directory) return;
    const shown = new Set(broadcasts.map((broadcast) => broadcast.id));
    for (const id of cards.keys()) if (!shown.has(id)) cards.delete(id);
    for (const broadcast of broadcasts) {
      let card = cards.get(broadcast.id);
      if (!card) {
        card = progressCard(broadcast, stop);
        cards.set(broadcast.id, card);
      }
      const current = currentPerSpeaker([...playbacks.values()].filter((item) => item.scheduleId === broadcast.id));
      card.show(current, directory);
    }
    progress.replaceChildren(...broadcasts.map((broadcast) => cards.get(broadcast.id)!.element));
  }

  async function stop(broadcast: ScheduleSummary, result: HTMLElement): Promise<void> {
    try {
      const answer = await api<BroadcastAnswer>('POST', `/broadcasts/${broadcast.id}/stop`);
      for (const playback of answer.playbacks) playbacks.set(playback.id, playback);
      await load();
      message.replaceChildren(notice('ok', t('Đã dừng “{title}”.', { title: broadcast.title })));
    } catch (error) {
      result.replaceChildren(notice('error', (error as Error).message));
    }
  }

  const stopLive = followLive({
    ready: () => void load(),
    playback: (data) => {
      const playback = data as unknown as Playback;
      if (playback.priority !== 'emergency') return;
      playbacks.set(playback.id, playback);
      if (broadcasts.some((broadcast) => broadcast.id === playback.scheduleId)) drawProgress();
      else void load();
    },
    state: (state) => {
      const label = liveLabel(state);
      liveBadge.className = `badge tone-${label.tone} live-badge`;
      liveBadge.textContent = t(label.text);
      liveBadge.dataset.state = state;
    },
  });

  replace(main, h('div', { class: 'title-row' }, h('h1', {}, 'Phát khẩn cấp'), liveBadge), loadProblem, message, progress, formBox);
  return () => {
    stopped = true;
    stopLive();
  };
}

interface ProgressCard {
  element: HTMLElement;
  show(current: Playback[], directory: Directory): void;
}

/** A broadcast's card: its tally, one row per speaker, and a stop that asks for confirmation first. */
function progressCard(broadcast: ScheduleSummary, stop: (broadcast: ScheduleSummary, result: HTMLElement) => Promise<void>): ProgressCard {
  const tally = h('span', { class: 'tally' });
  const rows = h('ul', { class: 'rows' });
  const result = h('div', { class: 'message' });
  // Disabled while the stop is on its way: a double tap sends one stop.
  const confirm = h('button', { type: 'button', class: 'danger' }, 'Xác nhận dừng');
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    void stop(broadcast, result).finally(() => (confirm.disabled = false));
  });
  const confirmBox = h(
    'div',
    { class: 'confirm-stop', hidden: true },
    h('p', {}, h('strong', {}, 'Dừng phát khẩn cấp này trên mọi cụm loa và hủy các lần phát lại?')),
    h(
      'div',
      { class: 'actions' },
      confirm,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            confirmBox.hidden = true;
            opener.hidden = false;
            opener.focus();
          },
        },
        'Không dừng',
      ),
    ),
  );
  const opener = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      onclick: () => {
        confirmBox.hidden = false;
        opener.hidden = true;
        confirmBox.querySelector('button')?.focus();
      },
    },
    'Dừng phát',
  );
  const element = h(
    'article',
    { class: 'card emergency-progress', 'data-broadcast': broadcast.id },
    h('div', { class: 'card-head' }, h('h2', { tabIndex: -1 }, broadcast.title), tally),
    rows,
    opener,
    confirmBox,
    result,
  );
  return {
    element,
    show(current, directory) {
      const onAir = current.filter((item) => ['dispatching', 'playing'].includes(item.status)).length;
      const done = current.filter((item) => item.status === 'played').length;
      tally.textContent = t('{onAir} đang phát · {done}/{all} đã phát xong', { onAir, done, all: current.length });
      replace(
        rows,
        current.map((item) =>
          h(
            'li',
            { class: 'row speaker-progress', 'data-speaker': item.speakerId, 'data-status': item.status },
            h('span', {}, speakerLabel(directory, item.speakerId, item.villageId)),
            h(
              'span',
              { class: 'row-side' },
              badge(PLAYBACK_STATUS, item.status),
              h('small', { class: 'muted' }, t('Lượt {time}', { time: clock(item.scheduledAt) })),
              item.failureCode ? h('small', { class: 'muted' }, t(FAILURE_REASON[item.failureCode] ?? item.failureCode)) : null,
            ),
          ),
        ),
      );
    },
  };
}

/** Per speaker, the repeat that matters now: the one on air, else the latest that started, else the next one. */
function currentPerSpeaker(items: Playback[]): Playback[] {
  const now = Date.now();
  const bySpeaker = new Map<string, Playback[]>();
  for (const item of items) bySpeaker.set(item.speakerId, [...(bySpeaker.get(item.speakerId) ?? []), item]);
  return [...bySpeaker.values()].map((list) => {
    list.sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
    const onAir = list.find((item) => ['dispatching', 'playing'].includes(item.status));
    const started = list.filter((item) => new Date(item.scheduledAt).getTime() <= now).pop();
    return onAir ?? started ?? list[0];
  });
}

function emergencyForm(directory: Directory, started: (answer: BroadcastAnswer) => void): HTMLElement {
  const bulletin = h('select', { name: 'bulletinId', required: true }, option('', t('Đang tải bản tin…')));
  const picker = targetPicker(directory);
  const repeat = h('input', { type: 'checkbox', name: 'repeat', id: 'emergency-repeat' });
  const every = h(
    'select',
    { name: 'repeatEveryMinutes' },
    REPEATS.map((minutes) => option(String(minutes), t('Mỗi {hours} giờ', { hours: minutes / 60 }))),
  );
  const untilDate = h('input', { type: 'date', name: 'untilDate', value: localDay(new Date()) });
  const untilTime = h('input', { type: 'time', name: 'untilTime', value: '23:59' });
  const repeatFields = h('div', { class: 'grid3', hidden: true }, field('Phát lại', every), field('Đến ngày', untilDate), field('Đến giờ', untilTime));
  repeat.addEventListener('change', () => (repeatFields.hidden = !repeat.checked));
  const message = h('div', { class: 'message' });
  const stepOne = h('div', {});
  const stepTwo = h('div', { class: 'confirm-panel', hidden: true, role: 'alertdialog', 'aria-labelledby': 'confirm-title' });

  void allPageItems<Named>('/bulletins', { status: 'approved', pageSize: '100' })
    .then((answer) =>
      replace(
        bulletin,
        option('', t('— Chọn bản tin đã duyệt —')),
        answer.map((item) => option(item.id, item.title)),
      ),
    )
    .catch((error: Error) => message.replaceChildren(notice('error', error.message)));

  function request(): Record<string, unknown> {
    if (!bulletin.value) throw new Error(t('Hãy chọn bản tin cần phát.'));
    const targets = picker.targets();
    if (!Object.keys(targets).length) throw new Error(t('Hãy chọn nơi phát: xã, thôn hoặc cụm loa.'));
    const body: Record<string, unknown> = { bulletinId: bulletin.value, targets };
    if (repeat.checked) {
      const [year, month, day] = untilDate.value.split('-').map(Number);
      const [hour, minute] = untilTime.value.split(':').map(Number);
      if (!year || hour === undefined) throw new Error(t('Hãy chọn ngày và giờ kết thúc phát lại.'));
      const until = zonedInstant(year, month, day, hour, minute);
      if (until.getTime() <= Date.now()) throw new Error(t('Thời điểm kết thúc phát lại đã qua.'));
      body.repeatEveryMinutes = Number(every.value);
      body.until = until.toISOString();
    }
    return body;
  }

  const go = h('button', { type: 'button', class: 'danger big-button' }, 'PHÁT NGAY');
  const back = h('button', { type: 'button', class: 'secondary' }, 'Quay lại');
  let pending: Record<string, unknown> | null = null;

  const form = h(
    'form',
    {
      class: 'card editor emergency-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        message.replaceChildren();
        try {
          pending = request();
        } catch (error) {
          message.replaceChildren(notice('error', (error as Error).message));
          return;
        }
        const speakers = picker.speakerIds().size;
        const title = bulletin.selectedOptions[0]?.textContent ?? '';
        replace(
          stepTwo,
          h('h2', { id: 'confirm-title', tabIndex: -1 }, 'Xác nhận phát khẩn cấp'),
          h('p', {}, t('Phát “{title}” NGAY BÂY GIỜ trên {n} cụm loa ({where}).', { title, n: speakers, where: picker.summary() })),
          h('p', {}, h('strong', {}, 'Mọi chương trình đang phát trên các loa này sẽ bị ngắt.')),
          pending.repeatEveryMinutes
            ? h(
                'p',
                {},
                t('Phát lại mỗi {minutes} phút đến {until}.', {
                  minutes: String(pending.repeatEveryMinutes),
                  until: `${untilTime.value} ${untilDate.value.split('-').reverse().join('/')}`,
                }),
              )
            : null,
          h('div', { class: 'actions' }, go, back),
        );
        stepOne.hidden = true;
        stepTwo.hidden = false;
        stepTwo.querySelector<HTMLElement>('h2')?.focus();
      },
    },
    h('h2', {}, 'Phát khẩn cấp mới'),
    h('p', { class: 'muted' }, 'Dùng khi có thiên tai, hỏa hoạn, dịch bệnh: ngắt mọi chương trình đang phát và phát ngay.'),
    stepOne,
    stepTwo,
    message,
  );
  replace(
    stepOne,
    field('Bản tin cần phát', bulletin),
    picker.element,
    h('div', { class: 'check' }, repeat, h('label', { htmlFor: repeat.id }, 'Phát lại định kỳ (chỉ đạo phòng chống thiên tai: 1–3 giờ một lần)')),
    repeatFields,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Tiếp tục…')),
  );
  back.addEventListener('click', () => {
    stepTwo.hidden = true;
    stepOne.hidden = false;
    bulletin.focus();
  });
  go.addEventListener('click', async () => {
    if (!pending) return;
    go.disabled = true;
    back.disabled = true;
    try {
      const answer = await api<BroadcastAnswer>('POST', '/broadcasts/emergency', pending);
      form.reset();
      repeatFields.hidden = true;
      stepTwo.hidden = true;
      stepOne.hidden = false;
      replace(message, notice('ok', t('Đã phát lệnh khẩn cấp tới {n} cụm loa.', { n: new Set(answer.playbacks.map((item) => item.speakerId)).size })));
      started(answer);
    } catch (error) {
      message.replaceChildren(notice('error', (error as Error).message));
    } finally {
      go.disabled = false;
      back.disabled = false;
    }
  });
  return form;
}
