import { api, ApiError } from '../api';
import { field, h, notice } from '../dom';
import { t } from '../i18n';
import { Me, session } from '../session';

interface LoginAnswer {
  accessToken?: string;
  token?: string;
  user: Me;
}

/** Đăng nhập: the only screen a stranger sees. */
export function renderLogin(onSignedIn: () => void): HTMLElement {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: false });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('div', { class: 'message' });
  const submit = h('button', { type: 'submit', class: 'primary wide' }, 'Đăng nhập');
  const form = h(
    'form',
    {
      class: 'card login',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        submit.textContent = t('Đang đăng nhập…');
        message.replaceChildren();
        try {
          const answer = await api<LoginAnswer>('POST', '/auth/login', { username: username.value.trim(), password: password.value });
          session.save(answer.accessToken ?? answer.token ?? '', answer.user);
          onSignedIn();
        } catch (error) {
          const text =
            error instanceof ApiError && error.status === 401
              ? error.serverMessage.includes('disabled')
                ? 'Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống.'
                : 'Sai tên đăng nhập hoặc mật khẩu.'
              : (error as Error).message;
          message.replaceChildren(notice('error', text));
          submit.disabled = false;
          submit.textContent = t('Đăng nhập');
          password.select();
        }
      },
    },
    h('h1', {}, 'Đăng nhập'),
    h('p', { class: 'lead' }, 'Hệ thống truyền thanh cơ sở — Loa'),
    field('Tên đăng nhập', username),
    field('Mật khẩu', password),
    message,
    submit,
  );
  setTimeout(() => username.focus(), 0);
  return h('main', { class: 'login-page' }, form);
}
