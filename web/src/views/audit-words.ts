import { Directory } from '../directory';
import { t } from '../i18n';

/** An audit entry as GET /api/audit answers it. */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  actorName: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  targetName: string | null;
  outcome: string;
  statusCode: number | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

/** What each action did, as a phrase after "đã" ({target}: the account, speaker or place acted on). */
const PHRASES: Record<string, string> = {
  'auth.login': 'đăng nhập',
  'POST /api/auth/logout': 'đăng xuất',
  'POST /api/auth/logout-all': 'đăng xuất khỏi mọi thiết bị',
  'POST /api/auth/password': 'đổi mật khẩu của mình',
  'POST /api/users': 'tạo tài khoản {target}',
  'PATCH /api/users/:id': 'sửa tài khoản {target}',
  'POST /api/users/:id/password': 'đặt lại mật khẩu cho tài khoản {target}',
  'POST /api/bulletins': 'tải lên một bản tin',
  'POST /api/bulletins/:id/approve': 'duyệt một bản tin',
  'POST /api/bulletins/:id/reject': 'trả lại một bản tin',
  'POST /api/bulletins/:id/archive': 'lưu trữ một bản tin',
  'POST /api/schedules': 'tạo một lịch phát',
  'PATCH /api/schedules/:id': 'sửa một lịch phát',
  'POST /api/schedules/:id/pause': 'tạm dừng một lịch phát',
  'POST /api/schedules/:id/resume': 'cho chạy lại một lịch phát',
  'POST /api/schedules/:id/cancel': 'hủy một lịch phát',
  'schedule.hold': 'giữ lại một lịch phát',
  'schedule.quarantine': 'cách ly một lịch phát',
  'POST /api/broadcasts/emergency': 'phát khẩn cấp',
  'POST /api/broadcasts/:id/stop': 'dừng một buổi phát khẩn cấp',
  'POST /api/speakers': 'thêm cụm loa {target}',
  'PATCH /api/speakers/:id': 'sửa cụm loa {target}',
  'POST /api/speakers/:id/check': 'kiểm tra cụm loa {target}',
  'POST /api/communes': 'thêm xã {target}',
  'PATCH /api/communes/:id': 'sửa xã {target}',
  'POST /api/villages': 'thêm thôn {target}',
  'PATCH /api/villages/:id': 'sửa thôn {target}',
  'POST /api/topics': 'thêm một chủ đề',
  'PATCH /api/topics/:id': 'sửa một chủ đề',
  'POST /api/playbacks/:id/confirm': 'xác nhận đã nghe một buổi phát',
  'DELETE /api/playbacks/:id/confirm': 'rút lại xác nhận đã nghe một buổi phát',
  'POST /api/playbacks/:id/problem': 'báo sự cố một buổi phát',
  'POST /api/airtime/checkpoints': 'ký một mốc của nhật ký phát',
};

/** The kinds of action the log can be narrowed to: the label, and the part of the action it matches. */
export const ACTION_FILTERS: Array<[string, string]> = [
  ['auth.login', 'Đăng nhập'],
  ['/api/users', 'Tài khoản người dùng'],
  ['/api/bulletins', 'Bản tin'],
  ['/api/schedules', 'Lịch phát'],
  ['/api/broadcasts', 'Phát khẩn cấp'],
  ['/api/speakers', 'Cụm loa'],
  ['/api/playbacks', 'Xác nhận và sự cố của thôn'],
  ['/api/communes', 'Xã'],
  ['/api/villages', 'Thôn'],
];

/** The phrase for an account change: locking and unlocking read differently, though both are one PATCH. */
function userChange(details: Record<string, unknown> | null): string {
  if (details?.disabled === true) return 'khóa tài khoản {target}';
  if (details?.disabled === false) return 'mở khóa tài khoản {target}';
  if (typeof details?.role === 'string') return 'đổi vai trò của tài khoản {target}';
  return PHRASES['PATCH /api/users/:id'];
}

/** Who or what was acted on, by name: accounts named by the API, speakers and places from the directory. */
function targetOf(entry: AuditEntry, directory: Directory | null): string {
  if (entry.targetName) return entry.targetName;
  const id = entry.resourceId;
  if (!id) return '';
  if (entry.resourceType === 'speakers') return directory?.speaker.get(id)?.name ?? t('(cụm loa đã xóa)');
  if (entry.resourceType === 'villages') return directory?.village.get(id)?.name ?? id;
  if (entry.resourceType === 'communes') return directory?.commune.get(id)?.name ?? id;
  if (entry.resourceType === 'users') return t('(tài khoản không còn)');
  return '';
}

/** The entry as a sentence: "Quản trị hệ thống đã khóa tài khoản antay". */
export function auditSentence(entry: AuditEntry, directory: Directory | null): string {
  const actor = entry.actorName ?? entry.actorUsername ?? t('Người không rõ');
  const key = entry.action;
  const template = key === 'PATCH /api/users/:id' ? userChange(entry.details) : (PHRASES[key] ?? null);
  const what = template ? t(template, { target: targetOf(entry, directory) }).trim() : t('gọi {action}', { action: key });
  if (entry.outcome === 'success') return t('{actor} đã {what}', { actor, what });
  if (entry.outcome === 'denied') return t('{actor} bị từ chối khi định {what}', { actor, what });
  return t('{actor} không {what} được', { actor, what });
}
