import { PLAYED_WITH_PROBLEM, PlaybackCount, programKey, ProgramTopic, summarise, withProblemReports } from './summary-aggregation';

const VILLAGES = [
  { id: 'v1', name: 'Thôn Phú Mỹ' },
  { id: 'v2', name: 'Thôn Tân Phong' },
];
// A 5-minute program: 3 minutes of digital transformation, 2 of Đề án 06.
const PROGRAMS = new Map<string, ProgramTopic[]>([
  [
    programKey('morning', 1),
    [
      { topicId: 'cds', topicName: 'Chuyển đổi số', durationMs: 180_000 },
      { topicId: 'da06', topicName: 'Đề án 06', durationMs: 120_000 },
    ],
  ],
  [programKey('alert', 1), [{ topicId: 'pctt', topicName: 'Phòng chống thiên tai', durationMs: 60_000 }]],
]);

const count = (localDay: string, villageId: string, scheduleId: string, status: string, playbacks: number, priority = 'normal'): PlaybackCount => ({
  localDay,
  villageId,
  scheduleId,
  programVersion: 1,
  priority,
  status,
  playbacks,
  reason: null,
});

function summary(counts: PlaybackCount[], topicIds: string[] = []) {
  return summarise({ counts, programs: PROGRAMS, villages: VILLAGES, from: '2026-11-01', to: '2026-11-30', grouping: 'week', topicIds });
}

describe('summarise', () => {
  const counts = [
    count('2026-11-01', 'v1', 'morning', 'played', 4),
    count('2026-11-01', 'v1', 'morning', 'missed', 1),
    count('2026-11-02', 'v2', 'morning', 'failed', 1),
    count('2026-11-02', 'v2', 'morning', 'cancelled', 2),
    count('2026-11-03', 'v2', 'alert', 'played', 3, 'emergency'),
    count('2026-11-30', 'v2', 'morning', 'queued', 5),
  ];

  it('counts planned without cancelled, and compliance over what was due only', () => {
    const { totals } = summary(counts);
    expect(totals).toMatchObject({ playbacks: 16, planned: 14, played: 7, missed: 1, failed: 1, cancelled: 2, pending: 5 });
    expect(totals.compliance).toBeCloseTo(7 / 9, 4);
    expect(totals.onAirMs).toBe(4 * 300_000 + 3 * 60_000);
  });

  it('leaves plays stopped or pre-empted by decision out of what was due, and does not count a play with a problem report as effective', () => {
    // Thôn Tân Phong: 1 played, 1 stopped by an official, 1 pre-empted by an emergency: 1 ÷ 1, not 1 ÷ 3.
    // Thôn Phú Mỹ: 2 played, one of them reported "Mất điện" by its operator: 1 ÷ 2, not 2 ÷ 2.
    const withStops = [
      count('2026-11-05', 'v2', 'morning', 'played', 1),
      count('2026-11-05', 'v2', 'morning', 'preempted', 2),
      count('2026-11-05', 'v1', 'morning', 'played', 2),
    ];
    const reported = [
      { ...count('2026-11-05', 'v1', 'morning', PLAYED_WITH_PROBLEM, 1), villageId: null },
      { ...count('2026-11-05', 'v1', 'morning', PLAYED_WITH_PROBLEM, 1), localDay: null },
      { localDay: null, villageId: null, priority: null, scheduleId: null, programVersion: null, status: PLAYED_WITH_PROBLEM, reason: 'power_cut', playbacks: 1 },
    ];
    const result = summary(withProblemReports(withStops, reported));
    expect(result.villages.find((row) => row.villageId === 'v2')).toMatchObject({ played: 1, preempted: 2, compliance: 1 });
    expect(result.villages.find((row) => row.villageId === 'v1')).toMatchObject({ played: 1, playedWithProblem: 1, compliance: 0.5, onAirMs: 300_000 });
    expect(result.totals).toMatchObject({ playbacks: 5, played: 2, playedWithProblem: 1, preempted: 2, compliance: 0.6667, onAirMs: 600_000 });
    expect(result.problems).toEqual([{ status: PLAYED_WITH_PROBLEM, reason: 'power_cut', count: 1 }]);
  });

  it('splits a multi-topic program by each bulletin, counting the broadcast once per topic', () => {
    const cells = summary(counts).villageTopics;
    expect(cells).toEqual([
      { villageId: 'v1', villageName: 'Thôn Phú Mỹ', topicId: 'cds', topicName: 'Chuyển đổi số', broadcasts: 4, onAirMs: 720_000 },
      { villageId: 'v1', villageName: 'Thôn Phú Mỹ', topicId: 'da06', topicName: 'Đề án 06', broadcasts: 4, onAirMs: 480_000 },
      { villageId: 'v2', villageName: 'Thôn Tân Phong', topicId: 'pctt', topicName: 'Phòng chống thiên tai', broadcasts: 3, onAirMs: 180_000 },
    ]);
  });

  it('shows only the filtered topics in minutes per topic', () => {
    expect(summary(counts, ['da06']).villageTopics.map((cell) => cell.topicId)).toEqual(['da06']);
  });

  it('fills every period and village, empty ones with zeros and no compliance', () => {
    const result = summary(counts);
    expect(result.periods.map((row) => row.period)).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
    expect(result.periods[0]).toMatchObject({ played: 4, missed: 1, compliance: 0.8 });
    expect(result.periods[2]).toMatchObject({ playbacks: 0, compliance: null, onAirMs: 0 });
    expect(result.villages.map((row) => [row.villageName, row.played])).toEqual([
      ['Thôn Phú Mỹ', 4],
      ['Thôn Tân Phong', 3],
    ]);
  });

  it('takes grouping sets: totals from the day rows, villages from the village rows, reasons from the reason rows', () => {
    const bySet: PlaybackCount[] = [
      { localDay: '2026-11-01', villageId: null, priority: null, scheduleId: 'morning', programVersion: 1, status: 'played', reason: null, playbacks: 4 },
      { localDay: '2026-11-01', villageId: null, priority: null, scheduleId: 'morning', programVersion: 1, status: 'missed', reason: null, playbacks: 2 },
      { localDay: null, villageId: 'v1', priority: null, scheduleId: 'morning', programVersion: 1, status: 'played', reason: null, playbacks: 4 },
      { localDay: null, villageId: 'v1', priority: null, scheduleId: 'morning', programVersion: 1, status: 'missed', reason: null, playbacks: 2 },
      { localDay: null, villageId: null, priority: 'normal', scheduleId: 'morning', programVersion: 1, status: 'played', reason: null, playbacks: 4 },
      { localDay: null, villageId: null, priority: 'normal', scheduleId: 'morning', programVersion: 1, status: 'missed', reason: null, playbacks: 2 },
      { localDay: null, villageId: null, priority: null, scheduleId: null, programVersion: null, status: 'played', reason: '', playbacks: 4 },
      { localDay: null, villageId: null, priority: null, scheduleId: null, programVersion: null, status: 'missed', reason: 'late', playbacks: 1 },
      { localDay: null, villageId: null, priority: null, scheduleId: null, programVersion: null, status: 'missed', reason: 'speaker_busy', playbacks: 1 },
    ];
    const result = summary(bySet);
    expect(result.totals).toMatchObject({ playbacks: 6, played: 4, missed: 2, onAirMs: 1_200_000 });
    expect(result.villages[0]).toMatchObject({ villageId: 'v1', played: 4, missed: 2 });
    expect(result.priorities[2]).toMatchObject({ priority: 'normal', played: 4, missed: 2 });
    expect(result.villageTopics).toHaveLength(2);
    expect(result.problems).toEqual([
      { status: 'missed', reason: 'late', count: 1 },
      { status: 'missed', reason: 'speaker_busy', count: 1 },
    ]);
  });

  it('reports every priority, most urgent first', () => {
    expect(summary(counts).priorities.map((row) => [row.priority, row.played])).toEqual([
      ['emergency', 3],
      ['priority', 0],
      ['normal', 4],
    ]);
  });

  it('counts each playback with the program version it aired, not the program the schedule has today', () => {
    // The morning schedule aired version 1 twice, then its bulletins were changed to one Đề án 06 bulletin of 1 minute.
    const programs = new Map([...PROGRAMS, [programKey('morning', 2), [{ topicId: 'da06', topicName: 'Đề án 06', durationMs: 60_000 }]]]);
    const edited = [count('2026-11-01', 'v1', 'morning', 'played', 2), { ...count('2026-11-02', 'v1', 'morning', 'played', 3), programVersion: 2 }];
    const result = summarise({ counts: edited, programs, villages: VILLAGES, from: '2026-11-01', to: '2026-11-30', grouping: 'month', topicIds: [] });
    expect(result.totals.onAirMs).toBe(2 * 300_000 + 3 * 60_000);
    expect(result.villageTopics.map((cell) => [cell.topicId, cell.broadcasts, cell.onAirMs])).toEqual([
      ['cds', 2, 360_000],
      ['da06', 5, 2 * 120_000 + 3 * 60_000],
    ]);
  });
});
