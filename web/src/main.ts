import './style.css';
import { api, whenUnauthorized } from './api';
import { h, replace } from './dom';
import { ROLE_LABEL } from './format';
import { lang, setLang, t } from './i18n';
import { Me, Role, session } from './session';
import { renderAudit } from './views/audit';
import { renderBulletins } from './views/bulletins';
import { renderDashboard } from './views/dashboard';
import { renderEmergency } from './views/emergency';
import { renderLogin } from './views/login';
import { renderMyVillage } from './views/my-village';
import { renderReports } from './views/reports';
import { renderSchedules } from './views/schedules';
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
  { path: 'thon-cua-toi', label: 'Thôn của tôi', roles: ['operator'], screen: renderMyVillage },
  { path: 'tong-quan', label: 'Tổng quan', roles: ['admin', 'editor', 'approver', 'viewer'], screen: renderDashboard },
  { path: 'ban-tin', label: 'Bản tin', roles: ['admin', 'editor', 'approver', 'viewer'], screen: renderBulletins },
  { path: 'lich-phat', label: 'Lịch phát', roles: ['admin', 'editor', 'approver', 'viewer'], screen: renderSchedules },
  { path: 'phat-khan-cap', label: 'Phát khẩn cấp', roles: ['admin', 'editor'], screen: renderEmergency },
  { path: 'thiet-bi', label: 'Thiết bị', roles: ['admin', 'editor', 'approver', 'operator', 'viewer'], screen: renderSpeakers },
  { path: 'bao-cao', label: 'Báo cáo', roles: ['admin', 'editor', 'approver', 'operator', 'viewer'], screen: renderReports },
  { path: 'nguoi-dung', label: 'Người dùng', roles: ['admin'], screen: renderUsers },
  { path: 'nhat-ky', label: 'Nhật ký hệ thống', roles: ['admin'], screen: renderAudit },
];

/** Where each role starts its day. */
const HOME: Record<Role, string> = {
  admin: 'tong-quan',
  editor: 'ban-tin',
  approver: 'tong-quan',
  operator: 'thon-cua-toi',
  viewer: 'bao-cao',
};

/** Right after signing in: an approver with bulletins waiting for approval starts there, everyone else at home. */
async function landing(me: Me): Promise<string> {
  if (me.role !== 'approver') return HOME[me.role];
  const waiting = await api<{ total: number }>('GET', '/bulletins?status=ready&pageSize=1').catch(() => ({ total: 0 }));
  return waiting.total > 0 ? 'ban-tin' : HOME.approver;
}

const root = document.getElementById('app') as HTMLElement;
let leaveScreen: (() => void) | void;

function signOut(): void {
  void api('POST', '/auth/logout').catch(() => undefined);
  session.clear();
  history.replaceState(null, '', location.pathname);
  route();
}

whenUnauthorized(() => {
  session.clear();
  route();
});

function languageToggle(): HTMLElement {
  const other = lang() === 'vi' ? 'en' : 'vi';
  return h(
    'button',
    {
      type: 'button',
      class: 'link lang-toggle',
      lang: other,
      'aria-label': other === 'en' ? 'Switch to English' : 'Chuyển sang tiếng Việt',
      onclick: () => {
        setLang(other);
        route();
      },
    },
    other === 'en' ? 'English' : 'Tiếng Việt',
  );
}

function route(): void {
  if (leaveScreen) leaveScreen();
  leaveScreen = undefined;
  document.documentElement.lang = lang();
  const me = session.user();
  if (!me || !session.token()) {
    replace(
      root,
      renderLogin(async () => {
        const signedIn = session.user();
        if (signedIn) history.replaceState(null, '', `#/${await landing(signedIn)}`);
        route();
      }),
    );
    root.querySelector('.login')?.append(h('p', { class: 'lang-row' }, languageToggle()));
    document.title = `${t('Đăng nhập')} — Loa`;
    return;
  }
  const entries = MENU.filter((entry) => entry.roles.includes(me.role));
  const wanted = location.hash.replace(/^#\/?/, '');
  const current = entries.find((entry) => entry.path === wanted) ?? entries.find((entry) => entry.path === HOME[me.role]) ?? entries[0];
  if (wanted !== current.path) history.replaceState(null, '', `#/${current.path}`);
  const main = h('main', { id: 'main', class: 'screen', tabIndex: -1 });
  const nav = h(
    'nav',
    { class: 'menu', 'aria-label': 'Menu chính' },
    entries.map((entry) =>
      h(
        'a',
        {
          href: `#/${entry.path}`,
          class: `${entry === current ? 'active' : ''} ${entry.path === 'phat-khan-cap' ? 'menu-emergency' : ''}`,
          'aria-current': entry === current ? 'page' : undefined,
        },
        entry.label,
      ),
    ),
  );
  replace(
    root,
    h(
      'a',
      {
        href: '#main',
        class: 'skip',
        onclick: (event: Event) => {
          event.preventDefault();
          main.focus();
        },
      },
      'Bỏ qua menu',
    ),
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('strong', {}, 'Loa'), h('span', {}, 'Truyền thanh cơ sở')),
      h(
        'div',
        { class: 'who' },
        h('span', { class: 'who-name' }, me.displayName),
        h('span', { class: 'who-role' }, ROLE_LABEL[me.role] ?? me.role),
        languageToggle(),
        h('button', { type: 'button', class: 'link', onclick: signOut }, 'Đăng xuất'),
      ),
    ),
    nav,
    main,
  );
  document.title = `${t(current.label)} — Loa`;
  leaveScreen = current.screen(main, me);
}

window.addEventListener('hashchange', route);
route();
