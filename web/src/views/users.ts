import { allPageItems, api } from '../api';
import { field, h, notice, option, replace } from '../dom';
import { ROLE_LABEL, when } from '../format';
import { t } from '../i18n';
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

/** Người dùng (admins): accounts with role and scope; create, lock (after a confirmation) or unlock, reset a password. */
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
    const actions = h('div', { class: 'actions' });
    const panel = h('div', { class: 'user-panel' });
    // Locking oneself out, or resetting one's own password here, is never what an admin means to do.
    if (user.id !== me.id) {
      actions.append(
        h(
          'button',
          { type: 'button', class: 'secondary small', onclick: () => (user.disabled ? void setDisabled(user, false) : confirmLock(user, panel)) },
          user.disabled ? 'Mở khóa' : 'Khóa',
        ),
        h('button', { type: 'button', class: 'secondary small', onclick: () => resetForm(user, panel) }, 'Đặt lại mật khẩu'),
      );
    }
    return h(
      'tr',
      { 'data-user': user.username },
      h('td', { 'data-label': 'Tài khoản' }, h('strong', {}, user.displayName), h('br'), h('small', { class: 'muted' }, user.username)),
      h('td', { 'data-label': 'Vai trò' }, ROLE_LABEL[user.role] ?? user.role),
      h('td', { 'data-label': 'Phạm vi' }, scope),
      h('td', { 'data-label': 'Đăng nhập gần nhất' }, when(user.lastLoginAt)),
      h(
        'td',
        { 'data-label': 'Trạng thái' },
        h('span', { class: `badge tone-${user.disabled ? 'bad' : 'good'}` }, user.disabled ? 'Đã khóa' : 'Đang hoạt động'),
        actions,
        panel,
      ),
    );
  }

  async function setDisabled(user: User, disabled: boolean): Promise<void> {
    try {
      await api('PATCH', `/users/${user.id}`, { disabled });
      message.replaceChildren(notice('ok', t(disabled ? 'Đã khóa tài khoản {name}.' : 'Đã mở khóa tài khoản {name}.', { name: user.username })));
      await refresh();
    } catch (error) {
      message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  /** Locking signs the person out at once and keeps them out: the admin says so twice, never by a slip of the finger. */
  function confirmLock(user: User, panel: HTMLElement): void {
    const yes = h('button', { type: 'button', class: 'danger', onclick: () => void setDisabled(user, true) }, 'Khóa tài khoản');
    replace(
      panel,
      h(
        'div',
        { class: 'confirm-box', role: 'group', 'aria-label': t('Xác nhận khóa tài khoản {name}', { name: user.username }) },
        h('p', {}, t('Khóa tài khoản {name}? Người này bị đăng xuất ngay và không đăng nhập được cho đến khi được mở khóa.', { name: user.username })),
        h('div', { class: 'actions' }, yes, h('button', { type: 'button', class: 'secondary', onclick: () => panel.replaceChildren() }, 'Thôi')),
      ),
    );
    yes.focus();
  }

  /** A new password the admin gives the person by word of mouth; their sessions end, and they can change it themselves. */
  function resetForm(user: User, panel: HTMLElement): void {
    const password = h('input', { name: 'newPassword', type: 'password', required: true, autocomplete: 'new-password', minLength: 8 });
    const form = h(
      'form',
      {
        class: 'confirm-box',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            await api('POST', `/users/${user.id}/password`, { password: password.value });
            panel.replaceChildren();
            message.replaceChildren(notice('ok', t('Đã đặt lại mật khẩu cho {name}. Hãy báo mật khẩu mới cho người đó.', { name: user.username })));
          } catch (error) {
            message.replaceChildren(notice('error', (error as Error).message));
          }
        },
      },
      field(t('Mật khẩu mới cho {name}', { name: user.username }), password, 'Ít nhất 8 ký tự, không dùng mật khẩu phổ biến.'),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Lưu mật khẩu mới'),
        h('button', { type: 'button', class: 'secondary', onclick: () => panel.replaceChildren() }, 'Thôi'),
      ),
    );
    replace(panel, form);
    password.focus();
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
    form.onsubmit = async (event) => {
      event.preventDefault();
      const dto: Record<string, unknown> = { username: username.value.trim(), displayName: displayName.value.trim(), role: role.value, password: password.value };
      if (role.value === 'operator' && village.value) dto.villageIds = [village.value];
      else if (role.value !== 'admin' && role.value !== 'operator' && commune.value) dto.communeIds = [commune.value];
      try {
        await api('POST', '/users', dto);
        // The notice sits outside the form, which the refresh redraws: it stays until dismissed or replaced.
        message.replaceChildren(notice('ok', t('Đã tạo tài khoản {name}.', { name: dto.username as string })));
        form.reset();
        void refresh();
      } catch (error) {
        message.replaceChildren(notice('error', (error as Error).message));
      }
    };
    return [
      h('h2', {}, 'Tạo tài khoản'),
      h('div', { class: 'grid2' }, field('Tên đăng nhập', username), field('Họ và tên', displayName)),
      h('div', { class: 'grid2' }, field('Vai trò', role), field('Mật khẩu', password, 'Ít nhất 8 ký tự, không dùng mật khẩu phổ biến.')),
      communeField,
      villageField,
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
