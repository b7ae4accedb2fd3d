import { EVIDENCE_LEVELS } from '../airtime/airtime-ledger';
import { SCHEDULE_PRIORITIES } from '../schedules/schedule-priority';
import { DRIVER_ERROR_KINDS } from '../speakers/drivers/driver-error';
import { evidenceLabel, priorityLabel, problemLabel, reasonLabel, statusLabel } from '../reports/report-labels';
import { EN } from '../../web/src/i18n-en';
import { EVIDENCE, FAILURE_REASON, PLAYBACK_STATUS, PRIORITY, PROBLEM_KIND } from '../../web/src/format';
import { OPERATOR_PROBLEM_KINDS } from './operator-problem-kind';
import { PLAYBACK_FAILURE_CODES } from './playback-failure';
import {
  DRIVER_ERROR_LABELS,
  EVIDENCE_LABELS,
  FAILURE_CODE_LABELS,
  Label,
  PLAYBACK_STATUS_LABELS,
  PRIORITY_LABELS,
  PROBLEM_KIND_LABELS,
  REASON_LABELS,
} from './playback-labels';
import { PLAYBACK_REASONS } from './playback-reason';
import { PLAYBACK_STATUSES } from './playback-status';

const KINDS: Array<[string, readonly string[], Record<string, Label>]> = [
  ['status', PLAYBACK_STATUSES, PLAYBACK_STATUS_LABELS],
  ['priority', SCHEDULE_PRIORITIES, PRIORITY_LABELS],
  ['reason', PLAYBACK_REASONS, REASON_LABELS],
  ['driver error kind', DRIVER_ERROR_KINDS, DRIVER_ERROR_LABELS],
  ['failure code', PLAYBACK_FAILURE_CODES, FAILURE_CODE_LABELS],
  ['evidence level', EVIDENCE_LEVELS, EVIDENCE_LABELS],
  ['problem kind', OPERATOR_PROBLEM_KINDS, PROBLEM_KIND_LABELS],
];

describe('playback labels', () => {
  it.each(KINDS)('gives every %s a Vietnamese and an English label, and labels nothing else', (_kind, codes, table) => {
    for (const code of codes) {
      expect(table[code]?.vi?.trim()).toBeTruthy();
      expect(table[code]?.en?.trim()).toBeTruthy();
    }
    expect(Object.keys(table).sort()).toEqual([...codes].sort());
  });

  it('never gives two codes of one kind the same words', () => {
    for (const [, codes, table] of KINDS) {
      expect(new Set(codes.map((code) => table[code].vi)).size).toBe(codes.length);
      expect(new Set(codes.map((code) => table[code].en)).size).toBe(codes.length);
    }
  });

  it('shows the console and the reports the same Vietnamese words for every code', () => {
    const pairs: Array<[readonly string[], (code: string) => string, (code: string) => string | undefined]> = [
      [PLAYBACK_STATUSES, statusLabel, (code) => PLAYBACK_STATUS[code]?.label],
      [SCHEDULE_PRIORITIES, priorityLabel, (code) => PRIORITY[code]?.label],
      [PLAYBACK_FAILURE_CODES, reasonLabel, (code) => FAILURE_REASON[code]],
      [EVIDENCE_LEVELS, evidenceLabel, (code) => EVIDENCE[code]],
      [OPERATOR_PROBLEM_KINDS, problemLabel, (code) => PROBLEM_KIND[code]],
    ];
    for (const [codes, report, console] of pairs) {
      for (const code of codes) expect(console(code)).toBe(report(code));
    }
  });

  it("translates every code's Vietnamese label in the console to the table's English", () => {
    for (const [, codes, table] of KINDS) {
      for (const code of codes) expect(EN[table[code].vi]).toBe(table[code].en);
    }
  });

  it('prints an unknown code as it is and no code as nothing', () => {
    expect(reasonLabel('something_new')).toBe('something_new');
    expect(reasonLabel(null)).toBe('');
  });
});
