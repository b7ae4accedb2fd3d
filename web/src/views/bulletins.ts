import { allPageItems, api, ApiError, audioUrl, query, upload } from '../api';
import { field, h, notice, option, replace } from '../dom';
import { BULLETIN_STATUS, duration, lufs, when } from '../format';
import { t } from '../i18n';
import { Me } from '../session';
import { Topic, topicChoices, topicLabel } from '../topics';

interface Bulletin {
  id: string;
  title: string;
  communeId: string;
  topicId: string;
  status: string;
  statusReason: string | null;
  originalFilename: string;
  originalDurationMs: number;
  durationMs: number | null;
  inputLufs: number | null;
  outputLufs: number | null;
  outputTruePeakDbtp: number | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string | null;
  approvedAt: string | null;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface Named {
  id: string;
  name: string;
}

const REFRESH_MS = 2500;

/** Still on its way to a rendition: waiting for a worker, or being normalised. */
const inProgress = (status: string) => status === 'queued' || status === 'processing';

export function badge(table: Record<string, { label: string; tone: string }>, value: string): HTMLElement {
  const entry = table[value] ?? { label: value, tone: 'muted' };
  return h('span', { class: `badge tone-${entry.tone}`, 'data-status': value }, entry.label);
}

/** Bản tin: the library, upload with progress, listening, and approval. */
export function renderBulletins(main: HTMLElement, me: Me): () => void {
  const canUpload = me.role === 'admin' || me.role === 'editor';
  const canReview = me.role === 'admin' || me.role === 'approver';
  const topics = new Map<string, string>();
  const cards = new Map<string, { updatedAt: string; element: HTMLElement }>();
  const opened = new Set<string>();
  let timer: number | undefined;
  let stopped = false;
  let page = 1;

  const search = h('input', { type: 'search', name: 'q', placeholder: 'Tìm theo tiêu đề…' });
  const status = h(
    'select',
    { name: 'status' },
    option('', 'Tất cả trạng thái'),
    Object.entries(BULLETIN_STATUS).map(([value, entry]) => option(value, entry.label)),
  );
  const listMessage = h('div', { class: 'message' });
  const list = h('ul', { class: 'cards', 'aria-live': 'polite', 'aria-label': 'Danh sách bản tin' });
  const pager = h('div', { class: 'pager' });

  async function refresh(): Promise<void> {
    window.clearTimeout(timer);
    try {
      const answer = await api<Page<Bulletin>>('GET', `/bulletins${query({ q: search.value.trim(), status: status.value, page, pageSize: 20 })}`);
      if (stopped) return;
      listMessage.replaceChildren();
      if (!answer.items.length) {
        replace(list, h('li', { class: 'empty' }, search.value || status.value ? 'Không có bản tin nào khớp bộ lọc.' : 'Chưa có bản tin nào.'));
      } else {
        replace(list, answer.items.map(cardOf));
      }
      const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
      replace(
        pager,
        pages > 1
          ? h(
              'button',
              {
                type: 'button',
                disabled: page <= 1,
                onclick: () => {
                  page -= 1;
                  void refresh();
                },
              },
              '‹ Trang trước',
            )
          : null,
        h('span', {}, `${answer.total} bản tin${pages > 1 ? ` · trang ${page}/${pages}` : ''}`),
        pages > 1
          ? h(
              'button',
              {
                type: 'button',
                disabled: page >= pages,
                onclick: () => {
                  page += 1;
                  void refresh();
                },
              },
              'Trang sau ›',
            )
          : null,
      );
      // Processing happens in the background: keep asking until nothing on screen is still waiting or processing.
      if (answer.items.some((item) => inProgress(item.status))) timer = window.setTimeout(() => void refresh(), REFRESH_MS);
    } catch (error) {
      if (stopped) return;
      listMessage.replaceChildren(notice('error', (error as Error).message));
      timer = window.setTimeout(() => void refresh(), REFRESH_MS * 4);
    }
  }

  /** Reuses the card of an unchanged bulletin, so a playing player is not interrupted by a refresh. */
  function cardOf(bulletin: Bulletin): HTMLElement {
    const known = cards.get(bulletin.id);
    if (known && known.updatedAt === bulletin.updatedAt) return known.element;
    const detail = h('div', { class: 'detail' });
    const toggle = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' }, 'Nghe và xem chi tiết');
    const element = h(
      'li',
      { class: 'card bulletin', 'data-id': bulletin.id },
      h('div', { class: 'card-head' }, h('h3', {}, bulletin.title), badge(BULLETIN_STATUS, bulletin.status)),
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, 'Chủ đề'), h('dd', {}, topics.get(bulletin.topicId) ?? '—')),
        h('div', {}, h('dt', {}, 'Thời lượng'), h('dd', { class: 'duration' }, duration(bulletin.durationMs ?? bulletin.originalDurationMs))),
        h('div', {}, h('dt', {}, 'Độ lớn'), h('dd', { class: 'loudness' }, lufs(bulletin.outputLufs))),
        h('div', {}, h('dt', {}, 'Tải lên'), h('dd', {}, when(bulletin.createdAt))),
      ),
      bulletin.status === 'queued'
        ? h(
            'p',
            { class: 'progress-note' },
            h('span', { class: 'spinner', 'aria-hidden': 'true' }),
            'Đang chờ đến lượt xử lý: các bản tin khác đang được chuẩn hóa trước…',
          )
        : null,
      bulletin.status === 'processing'
        ? h('p', { class: 'progress-note' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Đang chuẩn hóa âm lượng, vui lòng chờ…')
        : null,
      bulletin.status === 'failed'
        ? notice('error', `Không xử lý được tệp âm thanh${bulletin.statusReason ? `: ${bulletin.statusReason}` : ''}. Hãy tải lên tệp khác.`)
        : null,
      bulletin.status === 'rejected' && bulletin.statusReason ? notice('error', `Lý do từ chối: ${bulletin.statusReason}`) : null,
      !inProgress(bulletin.status) && bulletin.status !== 'failed' ? toggle : null,
      detail,
    );
    const open = () => {
      opened.add(bulletin.id);
      toggle.setAttribute('aria-expanded', 'true');
      toggle.textContent = t('Thu gọn');
      replace(detail, detailOf(bulletin));
    };
    toggle.addEventListener('click', () => {
      if (opened.has(bulletin.id)) {
        opened.delete(bulletin.id);
        toggle.setAttribute('aria-expanded', 'false');
        toggle.textContent = t('Nghe và xem chi tiết');
        stopAudio(detail);
        detail.replaceChildren();
      } else open();
    });
    if (known) stopAudio(known.element);
    if (opened.has(bulletin.id) && !inProgress(bulletin.status)) open();
    cards.set(bulletin.id, { updatedAt: bulletin.updatedAt, element });
    return element;
  }

  function detailOf(bulletin: Bulletin): HTMLElement {
    const player = h('audio', { controls: true, preload: 'auto', class: 'player' });
    const playerBox = h('div', { class: 'player-box' }, h('p', { class: 'muted' }, 'Đang tải âm thanh…'));
    audioUrl(bulletin.id)
      .then((url) => {
        player.src = url;
        player.dataset.blob = url;
        replace(playerBox, player);
      })
      .catch((error: Error) => replace(playerBox, notice('error', `Không tải được âm thanh. ${error.message}`)));
    const actions = h('div', { class: 'actions' });
    const message = h('div', { class: 'message' });
    const act = async (path: string, body: unknown, done: string) => {
      for (const button of actions.querySelectorAll('button')) button.disabled = true;
      try {
        await api('POST', `/bulletins/${bulletin.id}/${path}`, body);
        message.replaceChildren(notice('ok', done));
        await refresh();
      } catch (error) {
        message.replaceChildren(notice('error', (error as Error).message));
        for (const button of actions.querySelectorAll('button')) button.disabled = false;
      }
    };
    if (canReview && ['ready', 'rejected'].includes(bulletin.status)) {
      actions.append(h('button', { type: 'button', class: 'primary', onclick: () => void act('approve', undefined, 'Đã duyệt bản tin.') }, 'Duyệt phát sóng'));
    }
    if (canReview && ['ready', 'approved'].includes(bulletin.status)) {
      const reason = h('textarea', { name: 'reason', rows: 2, minLength: 3, maxLength: 1000, required: true });
      const rejectForm = h(
        'form',
        {
          class: 'reject',
          hidden: true,
          onsubmit: (event: Event) => {
            event.preventDefault();
            if (reason.value.trim().length < 3) {
              message.replaceChildren(notice('error', 'Hãy ghi lý do từ chối (ít nhất 3 ký tự) để bộ phận biên tập biết cần sửa gì.'));
              return;
            }
            void act('reject', { reason: reason.value.trim() }, 'Đã từ chối bản tin.');
          },
        },
        field('Lý do từ chối', reason, 'Bộ phận biên tập sẽ đọc lý do này.'),
        h('button', { type: 'submit', class: 'danger' }, 'Xác nhận từ chối'),
      );
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'danger-outline',
            onclick: () => {
              rejectForm.hidden = false;
              reason.focus();
            },
          },
          'Từ chối…',
        ),
      );
      return h('div', {}, playerBox, facts(bulletin), actions, rejectForm, message);
    }
    return h('div', {}, playerBox, facts(bulletin), actions, message);
  }

  function facts(bulletin: Bulletin): HTMLElement {
    return h(
      'dl',
      { class: 'facts small' },
      h('div', {}, h('dt', {}, 'Tệp gốc'), h('dd', {}, bulletin.originalFilename)),
      h('div', {}, h('dt', {}, 'Độ lớn gốc'), h('dd', {}, lufs(bulletin.inputLufs))),
      h(
        'div',
        {},
        h('dt', {}, 'Đỉnh thực'),
        h('dd', {}, bulletin.outputTruePeakDbtp === null ? '—' : `${bulletin.outputTruePeakDbtp.toFixed(1).replace('.', ',')} dBTP`),
      ),
      h('div', {}, h('dt', {}, 'Xử lý xong'), h('dd', {}, when(bulletin.processedAt))),
      h('div', {}, h('dt', {}, 'Duyệt lúc'), h('dd', {}, when(bulletin.approvedAt))),
    );
  }

  function stopAudio(scope: Element): void {
    for (const audio of scope.querySelectorAll('audio')) {
      audio.pause();
      if (audio.dataset.blob) URL.revokeObjectURL(audio.dataset.blob);
    }
  }

  const filters = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        page = 1;
        void refresh();
      },
    },
    field('Tìm kiếm', search),
    field('Trạng thái', status),
    h('button', { type: 'submit', class: 'secondary' }, 'Lọc'),
  );
  status.addEventListener('change', () => {
    page = 1;
    void refresh();
  });

  replace(
    main,
    h('h1', {}, 'Bản tin'),
    canUpload
      ? uploadCard(me, topics, () => {
          page = 1;
          void refresh();
        })
      : null,
    h('section', { class: 'card', 'aria-labelledby': 'library-title' }, h('h2', { id: 'library-title' }, 'Thư viện bản tin'), filters, listMessage, list, pager),
  );

  void allPageItems<Topic>('/topics')
    .then((items) => items.forEach((topic) => topics.set(topic.id, topicLabel(topic))))
    .catch(() => undefined)
    .finally(() => {
      main.dispatchEvent(new CustomEvent('topics-loaded'));
      void refresh();
    });

  return () => {
    stopped = true;
    window.clearTimeout(timer);
    stopAudio(main);
  };
}

function uploadCard(me: Me, topics: Map<string, string>, uploaded: () => void): HTMLElement {
  const title = h('input', { name: 'title', required: true, maxLength: 200 });
  const topic = h('select', { name: 'topic', required: true }, option('', 'Đang tải chủ đề…'));
  const commune = h('select', { name: 'communeId' });
  const communeField = field('Xã / phường', commune);
  communeField.hidden = true;
  const file = h('input', { name: 'file', type: 'file', accept: 'audio/*,.mp3,.wav,.m4a,.ogg,.opus,.flac', required: true });
  const notes = h('textarea', { name: 'notes', rows: 2, maxLength: 2000 });
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Tiến độ tải lên' });
  const percent = h('span', { class: 'percent' }, '');
  const progress = h('div', { class: 'upload-progress', hidden: true }, bar, percent);
  const message = h('div', { class: 'message' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Tải lên');

  void allPageItems<Topic>('/topics').then((items) => {
    replace(topic, option('', '— Chọn chủ đề —'), topicChoices(items));
    items.forEach((item) => topics.set(item.id, topicLabel(item)));
  });
  // Someone who works for one commune need not choose it; the others (admins, several communes) must.
  if (me.communeIds.length !== 1) {
    communeField.hidden = false;
    void allPageItems<Named>('/communes').then((items) =>
      replace(
        commune,
        option('', '— Chọn xã —'),
        items.map((item) => option(item.id, item.name)),
      ),
    );
  }

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'upload',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        message.replaceChildren();
        if (!file.files?.length) {
          message.replaceChildren(notice('error', 'Hãy chọn tệp âm thanh.'));
          return;
        }
        const data = new FormData();
        data.append('title', title.value.trim());
        data.append('topic', topic.value);
        if (commune.value) data.append('communeId', commune.value);
        if (notes.value.trim()) data.append('notes', notes.value.trim());
        // Text fields first: the server reads them before it streams the file.
        data.append('file', file.files[0]);
        submit.disabled = true;
        progress.hidden = false;
        bar.value = 0;
        percent.textContent = t('Đang tải lên {n}%', { n: 0 });
        try {
          await upload('/bulletins', data, (fraction) => {
            bar.value = fraction;
            percent.textContent = fraction >= 1 ? t('Đã gửi xong, máy chủ đang kiểm tra tệp…') : t('Đang tải lên {n}%', { n: Math.round(fraction * 100) });
          });
          bar.value = 1;
          percent.textContent = t('Tải lên xong {n}%', { n: 100 });
          message.replaceChildren(notice('ok', 'Đã tải lên. Bản tin đang được xử lý; trạng thái sẽ tự cập nhật bên dưới.'));
          form.reset();
          uploaded();
        } catch (error) {
          progress.hidden = true;
          const text =
            error instanceof ApiError && error.status === 409 ? 'Tệp âm thanh này đã có trong thư viện, không cần tải lên lại.' : (error as Error).message;
          message.replaceChildren(notice('error', text));
        } finally {
          submit.disabled = false;
        }
      },
    },
    field('Tiêu đề', title),
    field('Chủ đề', topic),
    communeField,
    field('Tệp âm thanh', file, 'MP3, WAV, M4A, OGG… Hệ thống sẽ tự chuẩn hóa âm lượng.'),
    field('Ghi chú (không bắt buộc)', notes),
    progress,
    message,
    submit,
  );
  return h('section', { class: 'card', 'aria-labelledby': 'upload-title' }, h('h2', { id: 'upload-title' }, 'Tải lên bản tin mới'), form);
}
