/**
 * Pure builders for every ffmpeg/ffprobe invocation Loa makes. The adapter only runs what these return,
 * so the exact command lines are unit-tested here.
 */

/** Demuxers an upload may use: audio files, and the video containers phones record in. */
export const ACCEPTED_DEMUXERS = [
  'aac',
  'aiff',
  'amr',
  'amrnb',
  'amrwb',
  'asf',
  'avi',
  'caf',
  'flac',
  'matroska',
  'mov',
  'mp3',
  'mpeg',
  'mpegts',
  'ogg',
  'w64',
  'wav',
  'wv',
] as const;

/**
 * Input options for untrusted files: only local files may be opened (no http/tcp/concat: tricks in
 * playlists) and only the demuxers above may parse them (no HLS, concat or image demuxers).
 */
export function safeInputOptions(): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', ACCEPTED_DEMUXERS.join(',')];
}

export interface FfmpegInvocation {
  input: string;
  inputOptions: string[];
  audioFilters: string[];
  outputOptions: string[];
  /** A file path, or null to decode and discard (`-f null`). */
  output: string | null;
}

/** Options for ffprobe; the adapter appends the input path, which Loa always generates itself. */
export function probeOptions(): string[] {
  return ['-v', 'error', ...safeInputOptions()];
}

/**
 * Decodes the first audio stream once (never past maxSeconds + 1) to prove the file really holds the
 * audio its header declares, and measures its peak.
 */
export function inspectionInvocation(input: string, maxSeconds: number): FfmpegInvocation {
  return {
    input,
    inputOptions: safeInputOptions(),
    audioFilters: ['volumedetect'],
    outputOptions: ['-map', '0:a:0', '-t', String(maxSeconds + 1), '-f', 'null'],
    output: null,
  };
}

const MONO = 'aformat=channel_layouts=mono';
/** acompressor refuses thresholds under 2^-10 (about -60 dB); a quieter recording would fail to render. */
const MIN_COMPRESSOR_THRESHOLD = 0.001;

export interface Trim {
  startSeconds: number;
  endSeconds: number;
}

function trimFilters(trim: Trim | null): string[] {
  if (!trim) return [];
  return [`atrim=start=${fixed(trim.startSeconds)}:end=${fixed(trim.endSeconds)}`, 'asetpts=PTS-STARTPTS'];
}

/** First loudness pass: integrated loudness, range and silences of the mono mix. */
export function analysisInvocation(input: string, silenceThresholdDb: number, minSilenceSeconds: number): FfmpegInvocation {
  return {
    input,
    inputOptions: safeInputOptions(),
    audioFilters: [
      MONO,
      `silencedetect=noise=${fixed(silenceThresholdDb)}dB:duration=${fixed(minSilenceSeconds)}`,
      // Sample peak is enough to decide on a limiter and costs a quarter of true peak's 4x oversampling.
      'ebur128=framelog=verbose:peak=sample',
    ],
    outputOptions: ['-map', '0:a:0', '-f', 'null'],
    output: null,
  };
}

/**
 * LAME's fast mode: at 96 kb/s mono, speech for horn loudspeakers sounds the same, and encoding takes half
 * the time of the default.
 */
const MP3_COMPRESSION_LEVEL = '7';

export interface Compression {
  thresholdDb: number;
  ratio: number;
}

export interface RenderPlan {
  trim: Trim | null;
  compression: Compression | null;
  gainDb: number;
  /** Sample-peak ceiling in dBFS for the limiter, or null when the gain cannot reach the ceiling. */
  limiterCeilingDb: number | null;
  sampleRate: number;
  bitrateKbps: number;
}

/** The broadcast chain: trim, mono, optional compression, gain, optional limiter, output sample rate. */
export function renderFilters(plan: RenderPlan): string[] {
  const filters = [...trimFilters(plan.trim), MONO];
  if (plan.compression) {
    filters.push(
      `acompressor=threshold=${fixed(Math.max(MIN_COMPRESSOR_THRESHOLD, dbToLinear(plan.compression.thresholdDb)))}` +
        `:ratio=${fixed(plan.compression.ratio)}` +
        ':attack=20:release=250:detection=rms',
    );
  }
  filters.push(`volume=${fixed(plan.gainDb)}dB`);
  if (plan.limiterCeilingDb !== null) {
    const limit = Math.max(0.0625, dbToLinear(plan.limiterCeilingDb));
    filters.push(`alimiter=limit=${fixed(limit)}:attack=5:release=50:level=false:latency=true`);
  }
  filters.push(`aresample=${plan.sampleRate}`);
  return filters;
}

/**
 * A dry run of the chain that only measures loudness: limiting and compression lower loudness by an amount
 * that is cheaper to measure this way than to render and re-render the MP3.
 */
export function trialInvocation(input: string, plan: RenderPlan): FfmpegInvocation {
  return {
    input,
    inputOptions: safeInputOptions(),
    audioFilters: [...renderFilters(plan), 'ebur128=framelog=verbose'],
    outputOptions: ['-map', '0:a:0', '-f', 'null'],
    output: null,
  };
}

/** The render: the chain into a mono MP3, written to `output`. */
export function renderInvocation(input: string, plan: RenderPlan, output: string): FfmpegInvocation {
  return {
    input,
    inputOptions: safeInputOptions(),
    audioFilters: renderFilters(plan),
    outputOptions: [
      '-map',
      '0:a:0',
      '-map_metadata',
      '-1',
      '-vn',
      '-sn',
      '-dn',
      '-ac',
      '1',
      '-ar',
      String(plan.sampleRate),
      '-c:a',
      'libmp3lame',
      '-b:a',
      `${plan.bitrateKbps}k`,
      '-compression_level',
      MP3_COMPRESSION_LEVEL,
      '-f',
      'mp3',
    ],
    output,
  };
}

/**
 * Measures the finished MP3 as listeners will get it: the encoder itself moves loudness (about 0.4 LU at
 * 96 kb/s) and true peak, so the stored figures come from the file, not from the signal fed to it.
 */
export function measurementInvocation(rendition: string): FfmpegInvocation {
  return {
    input: rendition,
    inputOptions: ['-protocol_whitelist', 'file'],
    audioFilters: ['ebur128=framelog=verbose:peak=true'],
    outputOptions: ['-map', '0:a:0', '-f', 'null'],
    output: null,
  };
}

/** Synthesises audio from a lavfi graph (demo content); never used on uploaded files. */
export function synthesisInvocation(lavfiGraph: string, output: string): FfmpegInvocation {
  return {
    input: lavfiGraph,
    inputOptions: ['-f', 'lavfi'],
    audioFilters: [],
    outputOptions: ['-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3'],
    output,
  };
}

/**
 * Synthesises Loa's own tones (the pre-announcement chime) from a lavfi graph into 16-bit PCM WAV, lossless, so
 * the loudness pipeline renders it like an upload. Never used on uploaded files.
 */
export function toneInvocation(lavfiGraph: string, output: string): FfmpegInvocation {
  return {
    input: lavfiGraph,
    inputOptions: ['-f', 'lavfi'],
    audioFilters: [],
    outputOptions: ['-map_metadata', '-1', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 'wav'],
    output,
  };
}

/**
 * The rendition as G.711 µ-law, 8 kHz, mono, raw: what an Axis speaker's transmit.cgi plays (`audio/basic`).
 * The input is Loa's own rendition, so only the local-file protocol is needed.
 */
export function mulawInvocation(rendition: string, output: string): FfmpegInvocation {
  return {
    input: rendition,
    inputOptions: ['-protocol_whitelist', 'file'],
    audioFilters: [],
    outputOptions: ['-map', '0:a:0', '-map_metadata', '-1', '-vn', '-sn', '-dn', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_mulaw', '-f', 'mulaw'],
    output,
  };
}

/** Decodes raw µ-law 8 kHz mono (what a speaker received) to measure its duration and peak. */
export function mulawInspectionInvocation(input: string): FfmpegInvocation {
  return {
    input,
    // Raw µ-law has no header: its format, rate and channels must be stated.
    inputOptions: ['-protocol_whitelist', 'file', '-f', 'mulaw', '-ar', '8000', '-ac', '1'],
    audioFilters: ['volumedetect'],
    outputOptions: ['-f', 'null'],
    output: null,
  };
}

export function dbToLinear(db: number): number {
  return Math.pow(10, db / 20);
}

function fixed(value: number): string {
  return Number(value.toFixed(4)).toString();
}
