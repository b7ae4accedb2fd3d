import { DateTime } from 'luxon';
import { Label } from '../playbacks/playback-labels';

/** The time zones a commune may use, as an official says them. */
const ZONE_NAMES: Record<string, Label> = {
  'Asia/Ho_Chi_Minh': { vi: 'giờ Việt Nam', en: 'Vietnam time' },
  'Asia/Saigon': { vi: 'giờ Việt Nam', en: 'Vietnam time' },
  'Asia/Bangkok': { vi: 'giờ Đông Dương (Bangkok)', en: 'Indochina time (Bangkok)' },
  'Asia/Vientiane': { vi: 'giờ Lào', en: 'Laos time' },
  'Asia/Phnom_Penh': { vi: 'giờ Campuchia', en: 'Cambodia time' },
  'Asia/Tokyo': { vi: 'giờ Nhật Bản', en: 'Japan time' },
  UTC: { vi: 'giờ quốc tế (UTC)', en: 'Coordinated Universal Time (UTC)' },
};

/** A zone in words ("giờ Việt Nam"); a zone missing from the table is named by its offset, "giờ UTC+07:00". */
export function zoneInWords(zone: string, lang: keyof Label = 'vi'): string {
  const known = ZONE_NAMES[zone];
  if (known) return known[lang];
  const offset = DateTime.now().setZone(zone);
  const utc = offset.isValid ? `UTC${offset.toFormat('ZZ')}` : zone;
  return lang === 'vi' ? `giờ ${utc}` : `${utc} time`;
}
