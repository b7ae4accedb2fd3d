import { allPageItems, api } from '../api';
import { field, h, notice, option, replace } from '../dom';
import { DRIVER_LABEL, when } from '../format';
import { t } from '../i18n';
import { presence, presenceBadge } from '../speaker-presence';
import { Me } from '../session';

interface Speaker {
  id: string;
  villageId: string;
  name: string;
  driver: 'axis-vapix' | 'http-gateway' | 'manual';
  settings: { url?: string };
  secretsSet: boolean;
  tags: string[];
  enabled: boolean;
  status: string;
  statusDetail: string | null;
  lastSeenAt: string | null;
  lastCheckedAt: string | null;
}
interface Village {
  id: string;
  name: string;
  communeId: string;
}

const REFRESH_MS = 30_000;

/** Thiết bị: speaker clusters grouped by village, with their last known state; admins add and edit. */
export function renderSpeakers(main: HTMLElement, me: Me): () => void {
  const isAdmin = me.role === 'admin';
  const message = h('div', { class: 'message' });
  const groups = h('div', { class: 'groups', 'aria-live': 'polite' });
  const editor = h('div', {});
  let villages: Village[] = [];
  let communeNames = new Map<string, string>();
  let timer: number | undefined;
  let stopped = false;
  // A new speaker needs its village: the button waits for the villages to be read.
  const addButton = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => openEditor() }, '+ Thêm cụm loa');

  async function refresh(): Promise<void> {
    window.clearTimeout(timer);
    try {
      const [villageList, speakers, communes] = await Promise.all([
        allPageItems<Village>('/villages'),
        allPageItems<Speaker>('/speakers'),
        allPageItems<{ id: string; name: string }>('/communes'),
      ]);
      if (stopped) return;
      villages = villageList;
      addButton.disabled = false;
      // Someone who sees several communes needs to know which commune a village belongs to.
      communeNames = communes.length > 1 ? new Map(communes.map((commune) => [commune.id, commune.name])) : new Map();
      message.replaceChildren();
      const byVillage = new Map<string, Speaker[]>();
      for (const speaker of speakers) byVillage.set(speaker.villageId, [...(byVillage.get(speaker.villageId) ?? []), speaker]);
      const shown = villages.filter((village) => byVillage.has(village.id) || isAdmin);
      if (!shown.length) replace(groups, h('p', { class: 'empty' }, 'Chưa có cụm loa nào trong phạm vi của bạn.'));
      else
        replace(
          groups,
          shown.map((village) => villageGroup(village, byVillage.get(village.id) ?? [])),
        );
    } catch (error) {
      if (!stopped) message.replaceChildren(notice('error', (error as Error).message));
    }
    if (!stopped) timer = window.setTimeout(() => void refresh(), REFRESH_MS);
  }

  function villageGroup(village: Village, speakers: Speaker[]): HTMLElement {
    const counts = presence(speakers);
    return h(
      'section',
      { class: 'card village' },
      h(
        'div',
        { class: 'card-head' },
        h('div', {}, h('h2', {}, village.name), communeNames.has(village.communeId) ? h('small', { class: 'muted' }, communeNames.get(village.communeId)) : null),
        h(
          'span',
          { class: 'count' },
          counts.reachable ? t('{online}/{reachable} trực tuyến', { online: counts.online, reachable: counts.reachable }) : null,
          counts.reachable && counts.wired ? ' · ' : null,
          counts.wired ? t('{n} loa dây', { n: counts.wired }) : null,
        ),
      ),
      speakers.length
        ? h(
            'ul',
            { class: 'rows' },
            speakers.map((speaker) => speakerRow(speaker)),
          )
        : h('p', { class: 'muted' }, 'Chưa có cụm loa.'),
    );
  }

  function speakerRow(speaker: Speaker): HTMLElement {
    return h(
      'li',
      { class: 'row speaker', 'data-id': speaker.id },
      h(
        'div',
        { class: 'row-main' },
        h('strong', {}, speaker.name),
        h('span', { class: 'muted' }, DRIVER_LABEL[speaker.driver] ?? speaker.driver),
        speaker.tags.length
          ? h(
              'span',
              { class: 'tags' },
              speaker.tags.map((tag) => h('span', { class: 'tag' }, tag)),
            )
          : null,
      ),
      h(
        'div',
        { class: 'row-side' },
        speaker.enabled ? presenceBadge(speaker) : h('span', { class: 'badge tone-muted' }, 'Đã tắt'),
        h('small', {}, `Lần cuối thấy: ${when(speaker.lastSeenAt)}`),
        speaker.statusDetail && speaker.status !== 'online' ? h('small', { class: 'muted' }, speaker.statusDetail) : null,
        isAdmin ? h('button', { type: 'button', class: 'secondary small', onclick: () => openEditor(speaker) }, 'Sửa') : null,
      ),
    );
  }

  function openEditor(speaker?: Speaker): void {
    replace(
      editor,
      speakerForm(
        villages,
        communeNames,
        speaker,
        () => {
          editor.replaceChildren();
          void refresh();
        },
        () => editor.replaceChildren(),
      ),
    );
    editor.scrollIntoView({ block: 'start' });
    editor.querySelector<HTMLElement>('input, select')?.focus();
  }

  replace(main, h('div', { class: 'title-row' }, h('h1', {}, 'Thiết bị'), isAdmin ? addButton : null), editor, message, groups);
  void refresh();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

function speakerForm(villages: Village[], communeNames: Map<string, string>, speaker: Speaker | undefined, saved: () => void, cancel: () => void): HTMLElement {
  const village = h(
    'select',
    { name: 'villageId', required: true, disabled: Boolean(speaker) },
    option('', '— Chọn thôn —'),
    villages.map((item) =>
      option(item.id, communeNames.has(item.communeId) ? `${item.name} — ${communeNames.get(item.communeId)}` : item.name, item.id === speaker?.villageId),
    ),
  );
  const name = h('input', { name: 'name', required: true, maxLength: 200, value: speaker?.name ?? '' });
  const driver = h(
    'select',
    { name: 'driver', disabled: Boolean(speaker) },
    Object.entries(DRIVER_LABEL).map(([value, label]) => option(value, label, value === (speaker?.driver ?? 'axis-vapix'))),
  );
  const url = h('input', { name: 'url', type: 'url', placeholder: 'http://10.0.0.5', value: speaker?.settings.url ?? '' });
  const username = h('input', { name: 'username', autocomplete: 'off' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
  const key = h('input', { name: 'key', type: 'password', autocomplete: 'new-password', minLength: 32 });
  const tags = h('input', { name: 'tags', value: speaker?.tags.join(', ') ?? '', placeholder: 'ven biển, chợ' });
  const enabled = h('input', { name: 'enabled', type: 'checkbox', checked: speaker?.enabled ?? true });
  const secretHint = speaker?.secretsSet ? 'Đã lưu (mã hóa). Để trống nếu không đổi.' : undefined;
  const urlField = field('Địa chỉ (URL)', url);
  const axisFields = h('div', { class: 'grid2' }, field('Tên đăng nhập thiết bị', username, secretHint), field('Mật khẩu thiết bị', password, secretHint));
  const gatewayFields = field('Khóa bí mật (HMAC, ít nhất 32 ký tự)', key, secretHint);
  const message = h('div', { class: 'message' });
  const showDriverFields = () => {
    urlField.hidden = driver.value === 'manual';
    axisFields.hidden = driver.value !== 'axis-vapix';
    gatewayFields.hidden = driver.value !== 'http-gateway';
  };
  driver.addEventListener('change', showDriverFields);
  showDriverFields();

  return h(
    'form',
    {
      class: 'card editor',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const settings = driver.value === 'manual' ? {} : { url: url.value.trim() };
        let secrets: Record<string, string> | undefined;
        if (driver.value === 'axis-vapix' && (username.value || password.value)) secrets = { username: username.value, password: password.value };
        if (driver.value === 'http-gateway' && key.value) secrets = { key: key.value };
        const body: Record<string, unknown> = {
          name: name.value.trim(),
          settings,
          tags: tags.value
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean),
          enabled: enabled.checked,
          ...(secrets ? { secrets } : {}),
        };
        try {
          if (speaker) await api('PATCH', `/speakers/${speaker.id}`, body);
          else await api('POST', '/speakers', { ...body, villageId: village.value, driver: driver.value });
          saved();
        } catch (error) {
          message.replaceChildren(notice('error', (error as Error).message));
        }
      },
    },
    h('h2', {}, speaker ? `Sửa cụm loa: ${speaker.name}` : 'Thêm cụm loa'),
    h('div', { class: 'grid2' }, field('Thôn', village), field('Tên cụm loa', name)),
    field('Loại thiết bị (driver)', driver),
    urlField,
    axisFields,
    gatewayFields,
    field('Nhãn (cách nhau bởi dấu phẩy)', tags),
    h('div', { class: 'check' }, enabled, h('label', { htmlFor: (enabled.id = `enabled-${Math.random().toString(36).slice(2)}`) }, 'Đang hoạt động')),
    message,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Lưu'),
      h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Hủy'),
    ),
  );
}
