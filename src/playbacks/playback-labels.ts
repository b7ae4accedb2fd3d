import { PlaybackStatus } from './playback-status';
import { PlaybackReason } from './playback-reason';
import { OperatorProblemKind } from './operator-problem-kind';

/**
 * The words an official reads for each of Loa's playback codes, in Vietnamese and English: the one table the console
 * (web/src/format.ts) and the reports (src/reports/report-labels.ts) both print from. Plain data importing only
 * plain data, so the console's build reads this file as it is.
 */
export interface Label {
  vi: string;
  en: string;
}

export const PLAYBACK_STATUS_LABELS: Record<PlaybackStatus, Label> = {
  planned: { vi: 'Đã lên lịch', en: 'Scheduled' },
  queued: { vi: 'Chờ phát', en: 'Queued' },
  dispatching: { vi: 'Đang gửi lệnh', en: 'Sending to speaker' },
  playing: { vi: 'Đang phát', en: 'Playing' },
  played: { vi: 'Đã phát', en: 'Played' },
  failed: { vi: 'Lỗi', en: 'Failed' },
  missed: { vi: 'Bỏ lỡ', en: 'Missed' },
  preempted: { vi: 'Bị ngắt', en: 'Interrupted' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

/**
 * Outcomes a report tells apart beyond a playback's status: a played playback whose village operator reported a
 * problem (power cut, speaker broken, …) aired as far as Loa knows, but is not counted as effective.
 */
export const REPORT_OUTCOME_LABELS: Record<'played_with_problem', Label> = {
  played_with_problem: { vi: 'Đã phát, có sự cố', en: 'Played, with a problem' },
};

export const PRIORITY_LABELS: Record<'normal' | 'priority' | 'emergency', Label> = {
  normal: { vi: 'Thông thường', en: 'Normal' },
  priority: { vi: 'Ưu tiên', en: 'Priority' },
  emergency: { vi: 'Khẩn cấp', en: 'Emergency' },
};

export const REASON_LABELS: Record<PlaybackReason, Label> = {
  late: { vi: 'Quá thời gian cho phép', en: 'Past the allowed delay' },
  speaker_busy: { vi: 'Cụm loa đang bận', en: 'Speaker busy' },
  service_down: { vi: 'Hệ thống ngừng hoạt động lúc đến giờ', en: 'The system was down at the time' },
  worker_lost: { vi: 'Tiến trình phát bị gián đoạn', en: 'The playing process was lost' },
  schedule_cancelled: { vi: 'Lịch đã hủy', en: 'Schedule cancelled' },
  preempted_by_emergency: { vi: 'Bị ngắt bởi phát khẩn cấp', en: 'Interrupted by an emergency broadcast' },
  broadcast_stopped: { vi: 'Buổi phát bị dừng', en: 'Broadcast stopped' },
  speaker_unavailable: { vi: 'Cụm loa bị tắt hoặc đã gỡ', en: 'Speaker disabled or removed' },
  audio_unavailable: { vi: 'Không đọc được âm thanh', en: 'Audio could not be read' },
  interrupted: { vi: 'Lệnh phát bị gián đoạn', en: 'The play command was interrupted' },
  bulletin_withdrawn: { vi: 'Bản tin đã bị thu hồi duyệt, không phát', en: 'Bulletin no longer approved, not aired' },
};

/** A driver error's kind, which is also the reason code of a playback a driver failed (see DRIVER_ERROR_KINDS). */
export const DRIVER_ERROR_LABELS: Record<'unreachable' | 'auth' | 'busy' | 'rejected' | 'timeout' | 'protocol', Label> = {
  unreachable: { vi: 'Không kết nối được thiết bị', en: 'Device unreachable' },
  auth: { vi: 'Thiết bị từ chối tài khoản', en: 'Device refused the credentials' },
  busy: { vi: 'Thiết bị báo bận', en: 'Device busy' },
  rejected: { vi: 'Thiết bị từ chối lệnh phát', en: 'Device refused the playback' },
  timeout: { vi: 'Thiết bị không trả lời kịp', en: 'Device did not answer in time' },
  protocol: { vi: 'Thiết bị trả lời không hợp lệ', en: 'Device answered something invalid' },
};

/** Every code `failure_code` may hold: Loa's reasons and the driver error kinds. */
export const FAILURE_CODE_LABELS: Record<string, Label> = { ...REASON_LABELS, ...DRIVER_ERROR_LABELS };

export const EVIDENCE_LABELS: Record<'commanded' | 'acknowledged' | 'device_reported' | 'operator_confirmed', Label> = {
  commanded: { vi: 'Đã ra lệnh', en: 'Commanded' },
  acknowledged: { vi: 'Thiết bị đã nhận', en: 'Device acknowledged' },
  device_reported: { vi: 'Thiết bị báo đã phát', en: 'Device reported played' },
  operator_confirmed: { vi: 'Thôn xác nhận', en: 'Village confirmed' },
};

export const PROBLEM_KIND_LABELS: Record<OperatorProblemKind, Label> = {
  speaker_broken: { vi: 'Loa hỏng', en: 'Speaker broken' },
  power_cut: { vi: 'Mất điện', en: 'Power cut' },
  no_signal: { vi: 'Mất tín hiệu', en: 'No signal' },
  not_heard: { vi: 'Không nghe thấy', en: 'Not heard' },
  other: { vi: 'Lý do khác', en: 'Other' },
};

/** The label of `code` in `lang`; an unknown code prints as it is, none as ''. */
export function labelOf(table: Record<string, Label>, code: string | null | undefined, lang: keyof Label = 'vi'): string {
  if (!code) return '';
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code][lang] : code;
}

/** Every Vietnamese label with its English, for the console's dictionary (keyed by the Vietnamese text). */
export function englishOfLabels(): Record<string, string> {
  const tables = [PLAYBACK_STATUS_LABELS, REPORT_OUTCOME_LABELS, PRIORITY_LABELS, FAILURE_CODE_LABELS, EVIDENCE_LABELS, PROBLEM_KIND_LABELS] as Array<
    Record<string, Label>
  >;
  return Object.fromEntries(tables.flatMap((table) => Object.values(table).map((label) => [label.vi, label.en])));
}
