import { Directory } from '../directory';
import { h } from '../dom';
import { t } from '../i18n';

export interface Targets {
  communeIds?: string[];
  villageIds?: string[];
  speakerIds?: string[];
}

export interface TargetPicker {
  element: HTMLElement;
  /** What the API takes; empty lists are left out. */
  targets(): Targets;
  /** The speakers those targets reach today (the server resolves them again when planning). */
  speakerIds(): Set<string>;
  /** "2 thôn, 1 cụm loa" */
  summary(): string;
  /** Ticks exactly these targets (a stored schedule's, to edit it). */
  select(targets: Targets): void;
}

let pickerCounter = 0;

function checkbox(name: string, value: string, label: string, onchange: () => void): { box: HTMLInputElement; row: HTMLElement } {
  const box = h('input', { type: 'checkbox', name, value, id: `${name}-${++pickerCounter}`, onchange });
  return { box, row: h('div', { class: 'check' }, box, h('label', { htmlFor: box.id }, label)) };
}

/** Nơi phát: whole communes, villages, or single speaker clusters, as checkboxes a keyboard can reach. */
export function targetPicker(directory: Directory, changed: () => void = () => undefined): TargetPicker {
  const communeBoxes: HTMLInputElement[] = [];
  const villageBoxes: HTMLInputElement[] = [];
  const speakerBoxes: HTMLInputElement[] = [];
  const refresh = () => {
    // A whole commune covers its villages: their boxes are shown ticked and locked.
    const wholeCommunes = new Set(communeBoxes.filter((box) => box.checked).map((box) => box.value));
    for (const box of villageBoxes) {
      const covered = wholeCommunes.has(directory.village.get(box.value)!.communeId);
      box.disabled = covered;
      if (covered) box.checked = false;
    }
    changed();
  };
  const communes = directory.communes.map((commune) => {
    const { box, row } = checkbox('communeIds', commune.id, t('Toàn bộ {name}', { name: commune.name }), refresh);
    communeBoxes.push(box);
    return row;
  });
  const villages = directory.villages.map((village) => {
    const speakers = directory.speakers.filter((speaker) => speaker.villageId === village.id);
    const { box, row } = checkbox('villageIds', village.id, t('{name} ({count} cụm loa)', { name: village.name, count: speakers.length }), refresh);
    villageBoxes.push(box);
    const single = speakers.map((speaker) => {
      const item = checkbox('speakerIds', speaker.id, speaker.name, refresh);
      speakerBoxes.push(item.box);
      return item.row;
    });
    return h(
      'div',
      { class: 'target-village' },
      row,
      speakers.length ? h('details', { class: 'target-speakers' }, h('summary', {}, t('Chọn từng cụm loa của {name}', { name: village.name })), single) : null,
    );
  });
  const element = h(
    'fieldset',
    { class: 'targets' },
    h('legend', {}, 'Nơi phát'),
    communes.length > 0 && villages.length > 1 ? communes : null,
    villages.length ? villages : h('p', { class: 'muted' }, 'Chưa có thôn nào trong phạm vi của bạn.'),
  );
  const ticked = (boxes: HTMLInputElement[]) => boxes.filter((box) => box.checked && !box.disabled).map((box) => box.value);
  return {
    element,
    targets() {
      const result: Targets = {};
      const [communeIds, villageIds, speakerIds] = [ticked(communeBoxes), ticked(villageBoxes), ticked(speakerBoxes)];
      if (communeIds.length) result.communeIds = communeIds;
      if (villageIds.length) result.villageIds = villageIds;
      if (speakerIds.length) result.speakerIds = speakerIds;
      return result;
    },
    speakerIds() {
      const communeIds = new Set(ticked(communeBoxes));
      const villageIds = new Set(ticked(villageBoxes));
      const speakerIds = new Set(ticked(speakerBoxes));
      return new Set(
        directory.speakers
          .filter((speaker) => speaker.enabled)
          .filter(
            (speaker) =>
              speakerIds.has(speaker.id) || villageIds.has(speaker.villageId) || communeIds.has(directory.village.get(speaker.villageId)?.communeId ?? ''),
          )
          .map((speaker) => speaker.id),
      );
    },
    select(targets) {
      const tick = (boxes: HTMLInputElement[], ids: string[] = []) => boxes.forEach((box) => (box.checked = ids.includes(box.value)));
      tick(communeBoxes, targets.communeIds);
      tick(villageBoxes, targets.villageIds);
      tick(speakerBoxes, targets.speakerIds);
      refresh();
    },
    summary() {
      const parts: string[] = [];
      for (const id of ticked(communeBoxes)) parts.push(t('toàn bộ {name}', { name: directory.commune.get(id)?.name ?? '' }));
      for (const id of ticked(villageBoxes)) parts.push(directory.village.get(id)?.name ?? '');
      for (const id of ticked(speakerBoxes)) parts.push(directory.speaker.get(id)?.name ?? '');
      return parts.join(', ');
    },
  };
}
