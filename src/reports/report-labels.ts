/** The Vietnamese words a commune office uses for Loa's codes, for every export. Unknown codes print as they are. */
const STATUS: Record<string, string> = {
  planned: 'Đã lên lịch',
  queued: 'Chờ phát',
  dispatching: 'Đang gửi lệnh',
  playing: 'Đang phát',
  played: 'Đã phát',
  failed: 'Lỗi',
  missed: 'Bỏ lỡ',
  preempted: 'Bị ngắt',
  cancelled: 'Đã hủy',
};

const PRIORITY: Record<string, string> = { normal: 'Thông thường', priority: 'Ưu tiên', emergency: 'Khẩn cấp' };

const EVIDENCE: Record<string, string> = {
  commanded: 'Đã ra lệnh',
  acknowledged: 'Thiết bị đã nhận',
  device_reported: 'Thiết bị báo đã phát',
  operator_confirmed: 'Thôn xác nhận',
};

const PROBLEM: Record<string, string> = {
  speaker_broken: 'Loa hỏng',
  power_cut: 'Mất điện',
  no_signal: 'Mất tín hiệu',
  not_heard: 'Không nghe thấy',
  other: 'Khác',
};

const REASON: Record<string, string> = {
  late: 'Quá thời gian cho phép',
  speaker_busy: 'Cụm loa đang bận',
  schedule_cancelled: 'Lịch đã hủy',
  preempted_by_emergency: 'Bị ngắt bởi phát khẩn cấp',
  broadcast_stopped: 'Buổi phát bị dừng',
};

const label = (table: Record<string, string>) => (code: string | null | undefined): string => (code ? (table[code] ?? code) : '');

export const statusLabel = label(STATUS);
export const priorityLabel = label(PRIORITY);
export const evidenceLabel = label(EVIDENCE);
export const problemLabel = label(PROBLEM);
export const reasonLabel = label(REASON);
