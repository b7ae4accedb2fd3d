/** Pure parsers for what ffprobe and ffmpeg print. */

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number | null;
}

export interface ProbeResult {
  formatName: string;
  durationSeconds: number | null;
  audio: AudioStreamInfo | null;
  hasVideo: boolean;
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string | number;
  channels?: string | number;
  duration?: string | number;
  disposition?: { attached_pic?: number };
}

export interface RawProbe {
  format?: { format_name?: string; duration?: string | number };
  streams?: RawStream[];
}

function finiteOrNull(value: unknown): number | null {
  const number = typeof value === 'number' ? value : parseFloat(String(value));
  return Number.isFinite(number) ? number : null;
}

export function parseProbe(raw: RawProbe): ProbeResult {
  const streams = raw.streams ?? [];
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  return {
    formatName: raw.format?.format_name ?? 'unknown',
    durationSeconds: finiteOrNull(raw.format?.duration),
    hasVideo: streams.some((stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic),
    audio: audio
      ? {
          codec: audio.codec_name ?? 'unknown',
          sampleRate: finiteOrNull(audio.sample_rate) ?? 0,
          channels: finiteOrNull(audio.channels) ?? 0,
          durationSeconds: finiteOrNull(audio.duration),
        }
      : null,
  };
}

/** Seconds of media ffmpeg processed, from its last `time=` progress line. */
export function parseProcessedSeconds(stderr: string): number | null {
  const matches = [...stderr.matchAll(/time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)];
  const last = matches.at(-1);
  if (!last) return null;
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
}

export function parseMaxVolumeDb(stderr: string): number | null {
  const match = /max_volume:\s*(-?inf|-?\d+(?:\.\d+)?) dB/.exec(stderr);
  if (!match) return null;
  return match[1].endsWith('inf') ? -Infinity : Number(match[1]);
}

export interface LoudnessMeasurement {
  integratedLufs: number;
  rangeLu: number;
  /** True peak (dBTP) when ebur128 ran with peak=true, sample peak (dBFS) with peak=sample. */
  peakDb: number;
}

function summaryValue(summary: string, label: string): number {
  const match = new RegExp(`${label}:\\s*(-?inf|-?\\d+(?:\\.\\d+)?)`).exec(summary);
  if (!match) throw new Error(`ebur128 summary has no ${label}`);
  return match[1].endsWith('inf') ? -Infinity : Number(match[1]);
}

/** Reads the `Summary:` block the ebur128 filter prints when it closes. */
export function parseEbur128Summary(stderr: string): LoudnessMeasurement {
  const start = stderr.lastIndexOf('Summary:');
  if (start < 0) throw new Error('ffmpeg printed no ebur128 summary');
  const summary = stderr.slice(start);
  return {
    integratedLufs: summaryValue(summary, 'I'),
    rangeLu: summaryValue(summary, 'LRA'),
    peakDb: summaryValue(summary, 'Peak'),
  };
}

/** Integrated loudness alone, from a summary printed without a peak section. */
export function parseIntegratedLoudness(stderr: string): number {
  const start = stderr.lastIndexOf('Summary:');
  if (start < 0) throw new Error('ffmpeg printed no ebur128 summary');
  return summaryValue(stderr.slice(start), 'I');
}

export interface SilenceInterval {
  startSeconds: number;
  /** null when the silence runs to the end of the stream. */
  endSeconds: number | null;
}

export function parseSilences(stderr: string): SilenceInterval[] {
  const intervals: SilenceInterval[] = [];
  // silencedetect prints times with %.6g, so a silence starting one sample in reads `2.08333e-05`.
  for (const match of stderr.matchAll(/silence_(start|end):\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/g)) {
    const at = Math.max(0, Number(match[2]));
    if (match[1] === 'start') intervals.push({ startSeconds: at, endSeconds: null });
    else if (intervals.length > 0 && intervals[intervals.length - 1].endSeconds === null) {
      intervals[intervals.length - 1].endSeconds = at;
    }
  }
  return intervals;
}
