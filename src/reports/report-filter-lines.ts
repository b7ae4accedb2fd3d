import { priorityLabel, statusLabel } from './report-labels';
import { FilterNames, ReportRequest } from './report-request';

/**
 * What a report covers, in words, for the screen's and every file's heading: villages, topics and priorities always
 * (all of them, or the chosen ones by name), speakers and statuses only when chosen. Without these lines a report of
 * one village read like the commune's.
 */
export function filterLines(request: Pick<ReportRequest, 'priorities' | 'statuses'>, names: FilterNames): string[] {
  const lines = [
    `Thôn: ${names.villages ? names.villages.join(', ') : 'tất cả các thôn'}`,
    `Chủ đề: ${names.topics.length ? names.topics.join(', ') : 'tất cả các chủ đề'}`,
    `Mức ưu tiên: ${request.priorities.length ? request.priorities.map(priorityLabel).join(', ') : 'tất cả các mức'}`,
  ];
  if (names.speakers.length) lines.push(`Cụm loa: ${names.speakers.join(', ')}`);
  if (request.statuses.length) lines.push(`Trạng thái: ${request.statuses.map(statusLabel).join(', ')}`);
  return lines;
}
