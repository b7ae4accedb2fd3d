import { allPageItems, api } from '../api';
import { field, h, notice, option, replace } from '../dom';
import { ROLE_LABEL, when } from '../format';
import { Me } from '../session';

interface User {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
  communeIds: string[];
  villageIds: string[];
  lastLoginAt: string | null;
}
interface Named {
  id: string;
  name: string;
}

/** Người dùng (admins): accounts with role and scope; create and lock/unlock. */
export function renderUsers(main: HTMLElement, me: Me): void {
  const message = h('div', { class: 'message' });
  const body = h('tbody', {});
  const places = new Map<string, string>();

  async function refresh(): Promise<void> {
    try {
      const [users, communes, villages] = await Promise.all([
        allPageItems<User>('/users', { pageSize: '500' }),
        allPageItems<Named>('/communes'),
        allPageItems<Named>('/villages'),
      ]);
      [...communes, ...villages].forEach((place) => places.set(place.id, place.name));
      replace(form, ...createForm(communes, villages));
      replace(body, users.map(row));
    } catch (error) {
      message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  function row(user: User): HTMLElement {
    const scope = [...user.communeIds, ...user.villageIds].map((id) => places.get(id) ?? id).join(', ') || (user.role === 'admin' ? 'Toàn hệ thống' : '—');
    return h(
      'tr',
      {},
      h('td', { 'data-label': 'Tài khoản' }, h('strong', {}, user.displayName), h('br'), h('small', { class: 'muted' }, user.username)),
      h('td', { 'data-label': 'Vai trò' }, ROLE_LABEL[user.role] ?? user.role),
      h('td', { 'data-label': 'Phạm vi' }, scope),
      h('td', { 'data-label': 'Đăng nhập gần nhất' }, when(user.lastLoginAt)),
      h(
        'td',
        { 'data-label': 'Trạng thái' },
        h('span', { class: `badge tone-${user.disabled ? 'bad' : 'good'}` }, user.disabled ? 'Đã khóa' : 'Đang hoạt động'),
        ' ',
        // Locking oneself out is never what an admin means to do here.
        user.id !== me.id &&
          h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              onclick: async () => {
                try {
                  await api('PATCH', `/users/${user.id}`, { disabled: !user.disabled });
                  await refresh();
                } catch (error) {
                  message.replaceChildren(notice('error', (error as Error).message));
                }
              },
            },
            user.disabled ? 'Mở khóa' : 'Khóa',
          ),
      ),
    );
  }

  const form = h('form', { class: 'card editor' });
  function createForm(communes: Named[], villages: Named[]): HTMLElement[] {
    const username = h('input', { name: 'username', required: true, autocomplete: 'off', pattern: '[A-Za-z0-9._-]{3,64}' });
    const displayName = h('input', { name: 'displayName', required: true });
    const role = h(
      'select',
      { name: 'role' },
      Object.entries(ROLE_LABEL).map(([value, label]) => option(value, label, value === 'editor')),
    );
    const password = h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password', minLength: 8 });
    const commune = h(
      'select',
      { name: 'communeId' },
      option('', '— Chọn xã —'),
      communes.map((item) => option(item.id, item.name)),
    );
    const village = h(
      'select',
      { name: 'villageId' },
      option('', '— Chọn thôn —'),
      villages.map((item) => option(item.id, item.name)),
    );
    const communeField = field('Xã / phường', commune);
    const villageField = field('Thôn', village);
    const scope = () => {
      communeField.hidden = role.value === 'admin' || role.value === 'operator';
      villageField.hidden = role.value !== 'operator';
    };
    role.addEventListener('change', scope);
    scope();
    const result = h('div', { class: 'message' });
    form.onsubmit = async (event) => {
      event.preventDefault();
      const dto: Record<string, unknown> = { username: username.value.trim(), displayName: displayName.value.trim(), role: role.value, password: password.value };
      if (role.value === 'operator' && village.value) dto.villageIds = [village.value];
      else if (role.value !== 'admin' && role.value !== 'operator' && commune.value) dto.communeIds = [commune.value];
      try {
        await api('POST', '/users', dto);
        result.replaceChildren(notice('ok', `Đã tạo tài khoản ${dto.username as string}.`));
        form.reset();
        void refresh();
      } catch (error) {
        result.replaceChildren(notice('error', (error as Error).message));
      }
    };
    return [
      h('h2', {}, 'Tạo tài khoản'),
      h('div', { class: 'grid2' }, field('Tên đăng nhập', username), field('Họ và tên', displayName)),
      h('div', { class: 'grid2' }, field('Vai trò', role), field('Mật khẩu', password, 'Ít nhất 8 ký tự, không dùng mật khẩu phổ biến.')),
      communeField,
      villageField,
      result,
      h('button', { type: 'submit', class: 'primary' }, 'Tạo tài khoản'),
    ];
  }

  replace(
    main,
    h('h1', {}, 'Người dùng'),
    form,
    message,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Danh sách tài khoản'),
      h(
        'table',
        { class: 'table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Tài khoản', 'Vai trò', 'Phạm vi', 'Đăng nhập gần nhất', 'Trạng thái'].map((text) => h('th', { scope: 'col' }, text)),
          ),
        ),
        body,
      ),
    ),
  );
  void refresh();
}
