import { allPageItems } from './api';
import { setZone } from './format';

/** The places and speakers a caller may see, loaded together: most screens name villages and speakers. */
export interface Commune {
  id: string;
  name: string;
  timezone: string;
  maxSessionSeconds: number;
}
export interface Village {
  id: string;
  name: string;
  communeId: string;
}
export interface Speaker {
  id: string;
  villageId: string;
  name: string;
  driver: string;
  enabled: boolean;
  status: string;
  lastSeenAt: string | null;
}

export interface Directory {
  communes: Commune[];
  villages: Village[];
  speakers: Speaker[];
  village: Map<string, Village>;
  speaker: Map<string, Speaker>;
  commune: Map<string, Commune>;
}

export async function loadDirectory(): Promise<Directory> {
  const [communes, villages, speakers] = await Promise.all([
    allPageItems<Commune>('/communes'),
    allPageItems<Village>('/villages'),
    allPageItems<Speaker>('/speakers'),
  ]);
  // Times are shown in the commune's zone; a caller of several communes sees the first one's (they share a province).
  if (communes[0]) setZone(communes[0].timezone);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'vi');
  villages.sort(byName);
  speakers.sort(byName);
  return {
    communes,
    villages,
    speakers,
    village: new Map(villages.map((item) => [item.id, item])),
    speaker: new Map(speakers.map((item) => [item.id, item])),
    commune: new Map(communes.map((item) => [item.id, item])),
  };
}

/** "Cụm loa 1 · Thôn Phú Mỹ" for a playback's speaker, even if it was removed since. */
export function speakerLabel(directory: Directory, speakerId: string, villageId: string): string {
  const speaker = directory.speaker.get(speakerId)?.name ?? 'Cụm loa đã xóa';
  const village = directory.village.get(villageId)?.name;
  return village ? `${speaker} · ${village}` : speaker;
}
