import { asRunCells } from './as-run-columns';
import { decodeCursor } from '../common/keyset-cursor';
import { nextCursor, toAsRunLine } from './as-run-line';
import { AsRunRecord } from './as-run-record';

const RECORD: AsRunRecord = {
  playback_id: '0b7c7f2e-2f0b-4a53-9d3c-6d7a1c1e0a11',
  scheduled_at: new Date('2026-11-05T16:30:00Z'),
  local_day: '2026-11-05',
  scheduled_local: '2026-11-05 23:30:00',
  started_local: '2026-11-05 23:30:01',
  finished_local: '2026-11-05 23:35:01',
  village_id: 'v',
  village_name: 'Thôn Phú Mỹ',
  speaker_id: 's',
  speaker_name: 'Cụm loa 1',
  schedule_id: 'sc',
  schedule_title: 'Cảnh báo đêm',
  bulletins: 'Bản tin A + Bản tin B',
  topics: 'Chuyển đổi số, Đề án 06',
  program_ms: '300000',
  on_air_ms: '300000',
  priority: 'emergency',
  status: 'played',
  failure_code: null,
  failure_detail: null,
  evidence_level: 'operator_confirmed',
  confirmed_local: '2026-11-06 07:00:00',
  confirmed_by: 'Trưởng thôn',
  confirmation_note: 'Nghe rõ',
  problem_kind: 'power_cut',
  problem_note: 'Mất điện 10 phút',
  problem_local: '2026-11-06 07:05:00',
  problem_by: 'Trưởng thôn',
};

describe('as-run lines', () => {
  it("gives instants in the commune's zone with their offset", () => {
    const line = toAsRunLine(RECORD, 'Asia/Ho_Chi_Minh');
    expect(line.scheduledAt).toBe('2026-11-05T23:30:00.000+07:00');
    expect(line.confirmation).toEqual({ at: '2026-11-06T07:00:00.000+07:00', by: 'Trưởng thôn', note: 'Nghe rõ' });
    expect(line.problem).toMatchObject({ kind: 'power_cut', note: 'Mất điện 10 phút' });
    expect(line.programMs).toBe(300_000);
  });

  it("prints Vietnamese labels and the operator's words in the file columns", () => {
    const cells = asRunCells(RECORD);
    expect(cells).toContain('Khẩn cấp');
    // Played, but its village reported a problem: not an effective broadcast.
    expect(cells).toContain('Đã phát, có sự cố');
    expect(asRunCells({ ...RECORD, problem_kind: null })).toContain('Đã phát');
    expect(cells).toContain('Thôn xác nhận');
    expect(cells).toContain('06/11/2026 07:00 Trưởng thôn: Nghe rõ');
    expect(cells).toContain('Mất điện (06/11/2026 07:05 Trưởng thôn: Mất điện 10 phút)');
  });

  it('counts program minutes only for a playback that played', () => {
    expect(asRunCells(RECORD)[10]).toBe(300_000);
    expect(asRunCells({ ...RECORD, status: 'missed', failure_code: 'late' })[10]).toBeNull();
    expect(asRunCells({ ...RECORD, status: 'missed', failure_code: 'late' })).toContain('Quá thời gian cho phép');
  });

  it('pages by scheduled instant and id', () => {
    expect(decodeCursor(nextCursor(RECORD))).toEqual({ at: RECORD.scheduled_at, id: RECORD.playback_id });
  });
});
