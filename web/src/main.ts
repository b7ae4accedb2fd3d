import './style.css';
import { api, whenUnauthorized } from './api';
import { h, replace } from './dom';
import { ROLE_LABEL } from './format';
import { Me, Role, session } from './session';
import { renderAudit } from './views/audit';
import { renderBulletins } from './views/bulletins';
import { renderLogin } from './views/login';
import { renderSpeakers } from './views/speakers';
import { renderUsers } from './views/users';

/** A screen draws itself into `main` and answers how to stop its timers when the user leaves. */
export type Screen = (main: HTMLElement, me: Me) => (() => void) | void;

interface MenuEntry {
  path: string;
  label: string;
  roles: Role[];
  screen: Screen;
}

/** Each role sees only what the API lets it use. */
const MENU: MenuEntry[] = [
  { path: 'ban-tin', label: 'Bản tin', roles: ['admin', 'editor', 'approver', 'viewer'], screen: renderBulletins },
  { path: 'thiet-bi', label: 'Thiết bị', roles: ['admin', 'editor', 'approver', 'operator', 'viewer'], screen: renderSpeakers },
  { path: 'nguoi-dung', label: 'Người dùng', roles: ['admin'], screen: renderUsers },
  { path: 'nhat-ky', label: 'Nhật ký hệ thống', roles: ['admin'], screen: renderAudit },
];

const root = document.getElementById('app') as HTMLElement;
let leaveScreen: (() => void) | void;

function signOut(): void {
  void api('POST', '/auth/logout').catch(() => undefined);
  session.clear();
  location.hash = '';
  route();
}

whenUnauthorized(() => {
  session.clear();
  route();
});

function route(): void {
  if (leaveScreen) leaveScreen();
  leaveScreen = undefined;
  const me = session.user();
  if (!me || !session.token()) {
    replace(root, renderLogin(() => route()));
    return;
  }
  const entries = MENU.filter((entry) => entry.roles.includes(me.role));
  const wanted = location.hash.replace(/^#\/?/, '');
  const current = entries.find((entry) => entry.path === wanted) ?? entries[0];
  if (wanted !== current.path) history.replaceState(null, '', `#/${current.path}`);
  const main = h('main', { id: 'main', class: 'screen', tabIndex: -1 });
  const nav = h(
    'nav',
    { class: 'menu', 'aria-label': 'Menu chính' },
    entries.map((entry) =>
      h('a', { href: `#/${entry.path}`, class: entry === current ? 'active' : '', 'aria-current': entry === current ? 'page' : undefined }, entry.label),
    ),
  );
  replace(
    root,
    h('a', { href: '#main', class: 'skip' }, 'Bỏ qua menu'),
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('strong', {}, 'Loa'), h('span', {}, 'Truyền thanh cơ sở')),
      h(
        'div',
        { class: 'who' },
        h('span', { class: 'who-name' }, me.displayName),
        h('span', { class: 'who-role' }, ROLE_LABEL[me.role] ?? me.role),
        h('button', { type: 'button', class: 'link', onclick: signOut }, 'Đăng xuất'),
      ),
    ),
    nav,
    main,
  );
  document.title = `${current.label} — Loa`;
  leaveScreen = current.screen(main, me);
}

window.addEventListener('hashchange', route);
route();
