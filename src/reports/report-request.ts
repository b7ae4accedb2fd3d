/** The reporting unit, as exports name it. */
export interface ReportCommune {
  id: string;
  name: string;
  code: string | null;
  timezone: string;
}

/** A report's question after validation and scoping: one commune, calendar days in its zone, and filters. */
export interface ReportRequest {
  commune: ReportCommune;
  /** First and last local day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /** Null: every village of the commune. Operators always get their own villages here. */
  villageIds: string[] | null;
  /** Empty lists: no filter. */
  speakerIds: string[];
  topicIds: string[];
  priorities: string[];
  statuses: string[];
}

/** The filters as the JSON answer restates them (empty list: not filtered). */
export function filtersOf(request: ReportRequest) {
  return {
    villageIds: request.villageIds ?? [],
    speakerIds: request.speakerIds,
    topicIds: request.topicIds,
    priorities: request.priorities,
    statuses: request.statuses,
  };
}

/** The filters' names, as a report's heading prints them; villages null when every village of the commune is in. */
export interface FilterNames {
  villages: string[] | null;
  topics: string[];
  speakers: string[];
}
