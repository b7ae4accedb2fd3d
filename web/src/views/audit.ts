import { allPageItems, api, query } from '../api';
import { Directory, loadDirectory } from '../directory';
import { field, h, notice, option, replace } from '../dom';
import { OUTCOME_LABEL, when } from '../format';
import { ACTION_FILTERS, AuditEntry, auditSentence } from './audit-words';
import { badge } from './bulletins';

interface Person {
  id: string;
  username: string;
  displayName: string;
}

/** Nhật ký hệ thống (admins): who did what, newest first, in words and by name; narrowed by person, action, result. */
export function renderAudit(main: HTMLElement): void {
  const person = h('select', { name: 'personId' }, option('', 'Tất cả'));
  const action = h(
    'select',
    { name: 'action' },
    option('', 'Tất cả'),
    ACTION_FILTERS.map(([value, label]) => option(value, label)),
  );
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
  let directory: Directory | null = null;

  async function loadNames(): Promise<void> {
    try {
      const [people, dir] = await Promise.all([allPageItems<Person>('/users', { pageSize: '500' }), loadDirectory()]);
      directory = dir;
      person.append(...people.map((user) => option(user.id, `${user.displayName} (${user.username})`)));
    } catch (error) {
      message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  async function refresh(): Promise<void> {
    try {
      const answer = await api<{ items: AuditEntry[]; total: number; pageSize: number }>(
        'GET',
        `/audit${query({ personId: person.value, action: action.value, outcome: outcome.value, page, pageSize: 50 })}`,
      );
      message.replaceChildren();
      replace(
        body,
        answer.items.length
          ? answer.items.map((entry) =>
              h(
                'tr',
                { 'data-action': entry.action },
                h('td', { 'data-label': 'Thời gian' }, when(entry.at)),
                h(
                  'td',
                  { 'data-label': 'Việc đã làm' },
                  h('span', { class: 'audit-words' }, auditSentence(entry, directory)),
                  h('code', { class: 'audit-action' }, entry.action),
                ),
                h('td', { 'data-label': 'Kết quả' }, badge(OUTCOME_LABEL, entry.outcome)),
                h('td', { 'data-label': 'Địa chỉ IP' }, entry.ip ?? '—'),
              ),
            )
          : h('tr', {}, h('td', { colSpan: 4, class: 'empty' }, 'Không có mục nào.')),
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
        field('Người liên quan', person),
        field('Việc', action),
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
            ['Thời gian', 'Việc đã làm', 'Kết quả', 'Địa chỉ IP'].map((text) => h('th', { scope: 'col' }, text)),
          ),
        ),
        body,
      ),
      pager,
    ),
  );
  void loadNames().then(refresh);
}
