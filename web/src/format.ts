/** Vietnamese labels and the commune's clock: every time is shown in the commune's zone, whatever the device's. */
let zone = 'Asia/Ho_Chi_Minh';
let formats = makeFormats(zone);

function makeFormats(timeZone: string) {
  const base = { timeZone, hour12: false } as const;
  return {
    dateTime: new Intl.DateTimeFormat('vi-VN', { ...base, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
    time: new Intl.DateTimeFormat('vi-VN', { ...base, hour: '2-digit', minute: '2-digit' }),
    parts: new Intl.DateTimeFormat('en-CA', { ...base, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  };
}

/** Set once after sign-in from the caller's commune (GET /api/communes). */
export function setZone(timeZone: string): void {
  zone = timeZone;
  formats = makeFormats(timeZone);
}

export function currentZone(): string {
  return zone;
}

export function when(value: string | null | undefined): string {
  return value ? formats.dateTime.format(new Date(value)) : '—';
}

/** HH:mm in the commune's zone. */
export function clock(value: string | Date | null | undefined): string {
  return value ? formats.time.format(new Date(value)) : '—';
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of an instant in the commune's zone. */
export function localParts(instant: Date): LocalParts {
  const parts = Object.fromEntries(formats.parts.formatToParts(instant).map((part) => [part.type, part.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

/** The instant at which the commune's clock reads this wall time (two passes settle a DST change). */
export function zonedInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  for (let pass = 0; pass < 2; pass++) {
    const seen = localParts(new Date(guess));
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += wall - seenWall;
  }
  return new Date(guess);
}

/** YYYY-MM-DD of an instant in the commune's zone. */
export function localDay(instant: Date): string {
  const { year, month, day } = localParts(instant);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Midnight (commune's zone) of the day `offsetDays` after the local day of `instant`. */
export function startOfLocalDay(instant: Date, offsetDays = 0): Date {
  const { year, month, day } = localParts(instant);
  const shifted = new Date(Date.UTC(year, month - 1, day + offsetDays));
  return zonedInstant(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function lufs(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(1).replace('.', ',')} LUFS`;
}

export const ROLE_LABEL: Record<string, string> = {
  admin: 'Quản trị hệ thống',
  editor: 'Biên tập (Văn hóa - Xã hội)',
  approver: 'Lãnh đạo duyệt (UBND xã)',
  operator: 'Vận hành thôn',
  viewer: 'Xem báo cáo',
};

export const BULLETIN_STATUS: Record<string, { label: string; tone: string }> = {
  queued: { label: 'Đang chờ xử lý', tone: 'wait' },
  processing: { label: 'Đang xử lý', tone: 'wait' },
  ready: { label: 'Sẵn sàng', tone: 'info' },
  failed: { label: 'Xử lý lỗi', tone: 'bad' },
  approved: { label: 'Đã duyệt', tone: 'good' },
  rejected: { label: 'Bị từ chối', tone: 'bad' },
  archived: { label: 'Lưu trữ', tone: 'muted' },
};

export const SPEAKER_STATUS: Record<string, { label: string; tone: string }> = {
  online: { label: 'Trực tuyến', tone: 'good' },
  degraded: { label: 'Chập chờn', tone: 'wait' },
  offline: { label: 'Mất kết nối', tone: 'bad' },
  unknown: { label: 'Chưa kiểm tra', tone: 'muted' },
};

export const DRIVER_LABEL: Record<string, string> = {
  'axis-vapix': 'Loa IP Axis (VAPIX)',
  'http-gateway': 'Cổng HTTP (gateway)',
  manual: 'Thủ công (loa dây / FM)',
};

export const OUTCOME_LABEL: Record<string, { label: string; tone: string }> = {
  success: { label: 'Thành công', tone: 'good' },
  failure: { label: 'Thất bại', tone: 'bad' },
  denied: { label: 'Bị từ chối quyền', tone: 'wait' },
};

export const PLAYBACK_STATUS: Record<string, { label: string; tone: string }> = {
  planned: { label: 'Đã lên lịch', tone: 'muted' },
  queued: { label: 'Chờ phát', tone: 'info' },
  dispatching: { label: 'Đang lên sóng', tone: 'wait' },
  playing: { label: 'Đang phát', tone: 'wait' },
  played: { label: 'Đã phát', tone: 'good' },
  failed: { label: 'Lỗi', tone: 'bad' },
  missed: { label: 'Bị lỡ', tone: 'bad' },
  preempted: { label: 'Bị ngắt', tone: 'bad' },
  cancelled: { label: 'Đã hủy', tone: 'muted' },
};

export const SCHEDULE_STATUS: Record<string, { label: string; tone: string }> = {
  active: { label: 'Đang áp dụng', tone: 'good' },
  paused: { label: 'Tạm dừng', tone: 'wait' },
  cancelled: { label: 'Đã hủy', tone: 'muted' },
};

export const PRIORITY: Record<string, { label: string; tone: string }> = {
  normal: { label: 'Thông thường', tone: 'muted' },
  priority: { label: 'Ưu tiên', tone: 'info' },
  emergency: { label: 'Khẩn cấp', tone: 'bad' },
};

export const PROBLEM_KIND: Record<string, string> = {
  speaker_broken: 'Loa hỏng',
  power_cut: 'Mất điện',
  no_signal: 'Không có tín hiệu',
  not_heard: 'Không nghe thấy',
  other: 'Lý do khác',
};

/** Why a playback did not play, in words an official understands. */
export const FAILURE_REASON: Record<string, string> = {
  late: 'Quá giờ cho phép',
  service_down: 'Hệ thống ngừng hoạt động lúc đến giờ',
  speaker_busy: 'Loa đang bận',
  preempted_by_emergency: 'Nhường cho phát khẩn cấp',
  broadcast_stopped: 'Đã dừng phát',
  schedule_cancelled: 'Lịch đã hủy',
  schedule_paused: 'Lịch tạm dừng',
};

export function minutes(ms: number): string {
  return (ms / 60_000).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
}

export function percent(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })}%`;
}
