/** Vietnamese labels and the commune's clock. */
export const ZONE = 'Asia/Ho_Chi_Minh';

const dateTime = new Intl.DateTimeFormat('vi-VN', {
  timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
});

export function when(value: string | null | undefined): string {
  return value ? dateTime.format(new Date(value)) : '—';
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
