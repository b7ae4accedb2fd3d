import { api, query } from '../api';
import { field, h, notice, option, replace } from '../dom';
import { OUTCOME_LABEL, when } from '../format';
import { badge } from './bulletins';

interface Entry {
  id: string;
  at: string;
  actorUsername: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  statusCode: number | null;
  ip: string | null;
}

/** Nhật ký hệ thống (admins): who did what, newest first. */
export function renderAudit(main: HTMLElement): void {
  const actor = h('input', { name: 'actor', autocomplete: 'off' });
  const action = h('input', { name: 'action', placeholder: 'vd. approve, auth.login' });
  const outcome = h(
    'select',
    { name: 'outcome' },
    option('', 'Tất cả'),
    Object.entries(OUTCOME_LABEL).map(([value, entry]) => option(value, entry.label)),
  );
  const message = h('div', { class: 'message' });
  const body = h('tbody', {});
  const pager = h('div', { class: 'pager' });
  let page = 1;

  async function refresh(): Promise<void> {
    try {
      const answer = await api<{ items: Entry[]; total: number; pageSize: number }>(
        'GET',
        `/audit${query({ actor: actor.value.trim(), action: action.value.trim(), outcome: outcome.value, page, pageSize: 50 })}`,
      );
      message.replaceChildren();
      replace(
        body,
        answer.items.length
          ? answer.items.map((entry) =>
              h(
                'tr',
                {},
                h('td', { 'data-label': 'Thời gian' }, when(entry.at)),
                h('td', { 'data-label': 'Người làm' }, entry.actorUsername ?? '—'),
                h('td', { 'data-label': 'Hành động' }, h('code', {}, entry.action)),
                h('td', { 'data-label': 'Đối tượng' }, [entry.resourceType, entry.resourceId].filter(Boolean).join(' ') || '—'),
                h('td', { 'data-label': 'Kết quả' }, badge(OUTCOME_LABEL, entry.outcome)),
                h('td', { 'data-label': 'Địa chỉ IP' }, entry.ip ?? '—'),
              ),
            )
          : h('tr', {}, h('td', { colSpan: 6, class: 'empty' }, 'Không có mục nào.')),
      );
      const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
      replace(
        pager,
        h(
          'button',
          {
            type: 'button',
            disabled: page <= 1,
            onclick: () => {
              page -= 1;
              void refresh();
            },
          },
          '‹ Mới hơn',
        ),
        h('span', {}, `Trang ${page}/${pages} · ${answer.total} mục`),
        h(
          'button',
          {
            type: 'button',
            disabled: page >= pages,
            onclick: () => {
              page += 1;
              void refresh();
            },
          },
          'Cũ hơn ›',
        ),
      );
    } catch (error) {
      message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  replace(
    main,
    h('h1', {}, 'Nhật ký hệ thống'),
    h(
      'section',
      { class: 'card' },
      h(
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
        field('Tài khoản', actor),
        field('Hành động', action),
        field('Kết quả', outcome),
        h('button', { type: 'submit', class: 'secondary' }, 'Lọc'),
      ),
      message,
      h(
        'table',
        { class: 'table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Thời gian', 'Người làm', 'Hành động', 'Đối tượng', 'Kết quả', 'Địa chỉ IP'].map((text) => h('th', { scope: 'col' }, text)),
          ),
        ),
        body,
      ),
      pager,
    ),
  );
  void refresh();
}
