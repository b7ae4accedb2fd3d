import { allPageItems, api, download, query } from '../api';
import { loadDirectory } from '../directory';
import { field, h, notice, option, replace } from '../dom';
import { EVIDENCE, localDay, localParts, minutes, percent, PLAYBACK_STATUS, PRIORITY, PROBLEM_KIND, when, FAILURE_REASON } from '../format';
import { t } from '../i18n';
import { Me } from '../session';
import { REPORT_OUTCOME_LABELS } from '../../../src/playbacks/playback-labels';
import { Topic, topicChoices } from '../topics';
import { badge } from './bulletins';
import { barChart } from './charts';

interface Counts {
  playbacks: number;
  planned: number;
  /** Played with no problem reported: effective. */
  played: number;
  /** Played, but the village reported a problem: not effective. */
  playedWithProblem: number;
  failed: number;
  missed: number;
  preempted: number;
  cancelled: number;
  pending: number;
  compliance: number | null;
  onAirMs: number;
}
interface Summary {
  commune: { id: string; name: string };
  period: { from: string; to: string };
  filters: { priorities: string[]; statuses: string[] };
  /** Villages null: every village of the commune. */
  filterNames: { villages: string[] | null; topics: string[]; speakers: string[] };
  checkpoint: { length: number; headHash: string | null } | null;
  totals: Counts;
  villageTopics: { villageId: string; villageName: string; topicId: string; topicName: string; broadcasts: number; onAirMs: number }[];
  villages: (Counts & { villageId: string; villageName: string })[];
  problems: { status: string; reason: string | null; count: number }[];
}
interface AsRunRow {
  playbackId: string;
  villageName: string;
  speakerName: string;
  scheduleTitle: string;
  bulletins: string;
  topics: string;
  priority: string;
  scheduledAt: string;
  startedAt: string | null;
  onAirMs: number | null;
  status: string;
  reason: string | null;
  evidenceLevel: string | null;
  confirmation: { at: string | null } | null;
  problem: { kind: string; note: string | null } | null;
}
interface AsRun {
  rows: AsRunRow[];
  next: string | null;
}
/** GET /api/airtime/verify, as much of it as the screen shows. */
interface LogCheck {
  communes: { communeId: string; ok: boolean; problem: string | null }[];
}

/** Báo cáo: period and filters, charts of minutes on air and compliance, the as-run log, and the files for the city. */
export function renderReports(main: HTMLElement, me: Me): void {
  const commune = h('select', { name: 'communeId' });
  const communeField = field('Xã / phường', commune);
  const from = h('input', { type: 'date', name: 'from', required: true });
  const to = h('input', { type: 'date', name: 'to', required: true });
  const village = h('select', { name: 'villageId' }, option('', t('Tất cả các thôn')));
  const topic = h('select', { name: 'topicId' }, option('', t('Tất cả chủ đề')));
  const priority = h(
    'select',
    { name: 'priority' },
    option('', t('Mọi mức ưu tiên')),
    Object.entries(PRIORITY).map(([value, entry]) => option(value, t(entry.label))),
  );
  const message = h('div', { class: 'message' });
  const logCheck = h('div', { class: 'message', 'aria-live': 'polite' });
  const results = h('div', { 'aria-live': 'polite' });

  const setMonth = (offset: number) => {
    const { year, month } = localParts(new Date());
    const first = new Date(Date.UTC(year, month - 1 + offset, 1));
    const last = new Date(Date.UTC(year, month + offset, 0));
    from.value = first.toISOString().slice(0, 10);
    to.value = offset === 0 ? localDay(new Date()) : last.toISOString().slice(0, 10);
  };
  setMonth(0);

  function params(): Record<string, string | undefined> {
    return {
      communeId: commune.value || undefined,
      from: from.value,
      to: to.value,
      villageIds: village.value || undefined,
      topicIds: topic.value || undefined,
      priorities: priority.value || undefined,
    };
  }

  async function show(): Promise<void> {
    message.replaceChildren();
    if (!from.value || !to.value) {
      message.replaceChildren(notice('error', 'Hãy chọn từ ngày và đến ngày.'));
      return;
    }
    replace(results, h('p', { class: 'muted' }, 'Đang lập báo cáo…'));
    try {
      const [summary, asRun] = await Promise.all([
        api<Summary>('GET', `/reports/summary${query({ ...params(), groupBy: 'day' })}`),
        api<AsRun>('GET', `/reports/as-run${query({ ...params(), limit: 100 })}`),
      ]);
      replace(results, ...summaryView(summary), asRunView(asRun));
      // Operators may not verify the log (they stood under the loudspeaker, they do not audit the commune).
      if (me.role !== 'operator') void checkLog(summary.commune.id);
    } catch (error) {
      results.replaceChildren();
      message.replaceChildren(notice('error', (error as Error).message));
    }
  }

  /** Whether the broadcast log behind the report is intact: an altered log is an alarm the reader must not miss. */
  async function checkLog(communeId: string): Promise<void> {
    logCheck.replaceChildren();
    try {
      const check = await api<LogCheck>('GET', `/airtime/verify${query({ communeId })}`);
      const broken = check.communes.find((item) => !item.ok);
      logCheck.replaceChildren(
        broken
          ? notice('error', t('Nhật ký phát sóng không còn nguyên vẹn, báo cáo này không đáng tin: {problem}', { problem: broken.problem ?? '—' }))
          : h('p', { class: 'muted small' }, 'Nhật ký phát sóng nguyên vẹn: khớp mọi mốc đã ký.'),
      );
    } catch (error) {
      logCheck.replaceChildren(notice('error', (error as Error).message));
    }
  }

  function summaryView(summary: Summary): HTMLElement[] {
    const totals = summary.totals;
    const byTopic = new Map<string, number>();
    for (const row of summary.villageTopics) byTopic.set(row.topicName, (byTopic.get(row.topicName) ?? 0) + row.onAirMs);
    const minuteBars = (rows: [string, number][]) =>
      rows.sort((a, b) => b[1] - a[1]).map(([label, ms]) => ({ label, value: ms, text: t('{n} phút', { n: minutes(ms) }) }));
    return [
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'totals-title' },
        h(
          'h2',
          { id: 'totals-title' },
          t('{commune}: từ {from} đến {to}', { commune: summary.commune.name, from: dmy(summary.period.from), to: dmy(summary.period.to) }),
        ),
        scopeView(summary),
        h(
          'dl',
          { class: 'facts totals' },
          fact('Lượt phát theo kế hoạch', String(totals.planned)),
          fact('Đã phát', String(totals.played)),
          fact('Đã phát, có sự cố', String(totals.playedWithProblem)),
          fact('Bỏ lỡ', String(totals.missed)),
          fact('Lỗi', String(totals.failed)),
          fact('Dừng hoặc nhường phát khẩn cấp', String(totals.preempted)),
          fact('Tỷ lệ thực hiện', percent(totals.compliance)),
          fact('Thời lượng phát', t('{n} phút', { n: minutes(totals.onAirMs) })),
        ),
        summary.checkpoint
          ? h(
              'p',
              { class: 'muted small' },
              t('Lập từ nhật ký phát sóng gồm {n} bản ghi (mã kiểm tra {hash}).', {
                n: summary.checkpoint.length,
                hash: (summary.checkpoint.headHash ?? '—').slice(0, 16).replace(/(.{4})(?=.)/g, '$1 '),
              }),
            )
          : null,
      ),
      h(
        'section',
        { class: 'card charts' },
        barChart('Số phút phát theo thôn', minuteBars(summary.villages.map((row) => [row.villageName, row.onAirMs]))),
        barChart('Số phút phát theo chủ đề', minuteBars([...byTopic.entries()])),
        barChart(
          'Tỷ lệ thực hiện theo thôn (đã phát không sự cố ÷ đến giờ phát, trừ lượt dừng hoặc nhường khẩn cấp)',
          summary.villages
            .filter((row) => row.compliance !== null)
            .map((row) => ({ label: row.villageName, value: row.compliance!, text: percent(row.compliance) })),
          { max: 1, tone: 'compliance' },
        ),
        summary.problems.length
          ? h(
              'div',
              {},
              h('h3', {}, 'Không phát được và lý do'),
              h(
                'ul',
                {},
                summary.problems.map((problem) => h('li', {}, `${t(statusWords(problem.status))}: ${t(reasonWords(problem))} — ${problem.count}`)),
              ),
            )
          : null,
      ),
    ];
  }

  function asRunView(first: AsRun): HTMLElement {
    const body = h('tbody', {});
    const more = h('button', { type: 'button', class: 'secondary' }, 'Xem thêm');
    let next = first.next;
    const append = (rows: AsRunRow[]) => {
      body.append(
        ...rows.map((row) =>
          h(
            'tr',
            { 'data-playback': row.playbackId },
            h('td', { 'data-label': 'Giờ phát' }, when(row.scheduledAt)),
            h('td', { 'data-label': 'Thôn' }, row.villageName),
            h('td', { 'data-label': 'Cụm loa' }, row.speakerName),
            h('td', { 'data-label': 'Bản tin' }, row.bulletins || row.scheduleTitle),
            h('td', { 'data-label': 'Chủ đề' }, row.topics),
            h('td', { 'data-label': 'Thời lượng' }, row.onAirMs === null ? '—' : t('{n} phút', { n: minutes(row.onAirMs) })),
            h(
              'td',
              { 'data-label': 'Trạng thái' },
              badge(REPORT_STATUS, row.status === 'played' && row.problem ? 'played_with_problem' : row.status),
              row.reason ? h('small', { class: 'muted' }, ` ${t(FAILURE_REASON[row.reason] ?? row.reason)}`) : null,
            ),
            h(
              'td',
              { 'data-label': 'Bằng chứng' },
              row.evidenceLevel ? t(EVIDENCE[row.evidenceLevel] ?? row.evidenceLevel) : '—',
              row.problem ? h('small', { class: 'problem' }, ` ${t('Thôn báo: {kind}', { kind: t(PROBLEM_KIND[row.problem.kind] ?? row.problem.kind) })}`) : null,
            ),
          ),
        ),
      );
      more.hidden = !next;
    };
    more.addEventListener('click', async () => {
      more.disabled = true;
      try {
        const page = await api<AsRun>('GET', `/reports/as-run${query({ ...params(), limit: 100, after: next ?? undefined })}`);
        next = page.next;
        append(page.rows);
      } catch (error) {
        message.replaceChildren(notice('error', (error as Error).message));
      } finally {
        more.disabled = false;
      }
    });
    append(first.rows);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'asrun-title' },
      h('h2', { id: 'asrun-title' }, 'Nhật ký phát sóng'),
      first.rows.length
        ? h(
            'table',
            { class: 'table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Giờ phát', 'Thôn', 'Cụm loa', 'Bản tin', 'Chủ đề', 'Thời lượng', 'Trạng thái', 'Bằng chứng'].map((text) => h('th', { scope: 'col' }, text)),
              ),
            ),
            body,
          )
        : h('p', { class: 'empty' }, 'Không có lượt phát nào trong kỳ này.'),
      h('div', { class: 'pager' }, more),
    );
  }

  async function save(route: 'summary' | 'as-run', format: 'csv' | 'xlsx' | 'pdf', button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    message.replaceChildren();
    try {
      const name = await download(`/reports/${route}${query({ ...params(), format })}`, `bao-cao-${from.value}-${to.value}.${format}`);
      message.replaceChildren(notice('ok', t('Đã tải về {name}.', { name })));
    } catch (error) {
      message.replaceChildren(notice('error', (error as Error).message));
    } finally {
      button.disabled = false;
    }
  }
  const downloadButton = (label: string, route: 'summary' | 'as-run', format: 'csv' | 'xlsx' | 'pdf') => {
    const button: HTMLButtonElement = h('button', { type: 'button', class: 'secondary', onclick: () => void save(route, format, button) }, label);
    return button;
  };

  replace(
    main,
    h('h1', {}, 'Báo cáo'),
    h(
      'form',
      {
        class: 'card filters report-filters',
        role: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void show();
        },
      },
      communeField,
      field('Từ ngày', from),
      field('Đến ngày', to),
      field('Thôn', village),
      field('Chủ đề', topic),
      field('Mức ưu tiên', priority),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onclick: () => {
              setMonth(0);
              void show();
            },
          },
          'Tháng này',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onclick: () => {
              setMonth(-1);
              void show();
            },
          },
          'Tháng trước',
        ),
        h('button', { type: 'submit', class: 'primary' }, 'Lập báo cáo'),
      ),
    ),
    h(
      'section',
      { class: 'card downloads', 'aria-labelledby': 'downloads-title' },
      h('h2', { id: 'downloads-title' }, 'Tải về'),
      h(
        'div',
        { class: 'actions' },
        downloadButton('Báo cáo tổng hợp (XLSX)', 'summary', 'xlsx'),
        downloadButton('Báo cáo tổng hợp (PDF)', 'summary', 'pdf'),
        downloadButton('Báo cáo tổng hợp (CSV)', 'summary', 'csv'),
      ),
      h('div', { class: 'actions' }, downloadButton('Nhật ký phát sóng (XLSX)', 'as-run', 'xlsx'), downloadButton('Nhật ký phát sóng (CSV)', 'as-run', 'csv')),
    ),
    message,
    logCheck,
    results,
  );

  void Promise.all([loadDirectory(), allPageItems<Topic>('/topics').catch(() => [] as Topic[])])
    .then(([dir, topics]) => {
      replace(
        commune,
        dir.communes.map((item) => option(item.id, item.name)),
      );
      communeField.hidden = dir.communes.length < 2;
      const villagesOf = () => dir.villages.filter((item) => !commune.value || item.communeId === commune.value);
      const fillVillages = () =>
        replace(
          village,
          option('', t('Tất cả các thôn')),
          villagesOf().map((item) => option(item.id, item.name)),
        );
      fillVillages();
      commune.addEventListener('change', fillVillages);
      replace(topic, option('', t('Tất cả chủ đề')), topicChoices(topics));
      void show();
    })
    .catch((error: Error) => message.replaceChildren(notice('error', error.message)));
}

/** What the report covers, as the files' headings say it: villages, topics and priorities always, speakers and statuses when chosen. */
function scopeView(summary: Summary): HTMLElement {
  const names = summary.filterNames;
  const list = (items: string[]) => items.join(', ');
  return h(
    'dl',
    { class: 'facts report-scope', 'aria-label': t('Phạm vi') },
    fact('Thôn', names.villages ? list(names.villages) : t('Tất cả các thôn')),
    fact('Chủ đề', names.topics.length ? list(names.topics) : t('Tất cả chủ đề')),
    fact(
      'Mức ưu tiên',
      summary.filters.priorities.length ? list(summary.filters.priorities.map((code) => t(PRIORITY[code]?.label ?? code))) : t('Tất cả mức ưu tiên'),
    ),
    names.speakers.length ? fact('Cụm loa', list(names.speakers)) : null,
    summary.filters.statuses.length ? fact('Trạng thái', list(summary.filters.statuses.map((code) => t(statusWords(code))))) : null,
  );
}

/** Playback statuses and the report's own outcome: played, but the village reported a problem (not effective). */
const REPORT_STATUS: Record<string, { label: string; tone: string }> = {
  ...PLAYBACK_STATUS,
  played_with_problem: { label: REPORT_OUTCOME_LABELS.played_with_problem.vi, tone: 'wait' },
};

/** A status, or a report's outcome such as "đã phát, có sự cố", in Vietnamese. */
function statusWords(code: string): string {
  return REPORT_STATUS[code]?.label ?? code;
}

/** A problem's reason: a failure code, or the kind of problem the village reported. */
function reasonWords(problem: { status: string; reason: string | null }): string {
  const table = problem.status === 'played_with_problem' ? PROBLEM_KIND : FAILURE_REASON;
  return table[problem.reason ?? ''] ?? problem.reason ?? '—';
}

function fact(label: string, value: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function dmy(day: string): string {
  return day.split('-').reverse().join('/');
}
