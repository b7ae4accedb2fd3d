import { h, option } from './dom';
import { t } from './i18n';

/** A topic as GET /api/topics answers it: shared by every commune (`commune` null) or one commune's own. */
export interface Topic {
  id: string;
  name: string;
  communeId: string | null;
  commune: { id: string; name: string } | null;
}

/** "An toàn giao thông · Xã Việt An" for a commune's own topic; a shared topic by its name alone. */
export function topicLabel(topic: Topic): string {
  return topic.commune ? `${topic.name} · ${topic.commune.name}` : topic.name;
}

/** Choices grouped by whose topics they are: the shared themes of the plan first, then each commune's own. */
export function topicChoices(topics: Topic[]): HTMLOptGroupElement[] {
  const groups = new Map<string, Topic[]>();
  for (const topic of topics) {
    const key = topic.commune?.name ?? '';
    groups.set(key, [...(groups.get(key) ?? []), topic]);
  }
  const order = [...groups.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'vi')));
  return order.map((key) =>
    h(
      'optgroup',
      { label: key === '' ? t('Chủ đề chung') : t('Chủ đề riêng của {commune}', { commune: key }) },
      groups.get(key)!.map((topic) => option(topic.id, topic.name)),
    ),
  );
}
