import { parseEbur128Summary, parseMaxVolumeDb, parseProbe, parseProcessedSeconds, parseSilences, RawProbe } from './ffmpeg-output';

// Samples below are trimmed from ffmpeg/ffprobe 5.1 (Debian 12) output; progress lines end in \r as ffmpeg writes them.

describe('parseProbe', () => {
  // `ffprobe -v error -show_streams -show_format -of json` on an MP3 with cover art (fields trimmed).
  const mp3WithCoverArt: RawProbe = {
    streams: [
      { codec_name: 'mp3', codec_type: 'audio', sample_rate: '44100', channels: 1, duration: '2.037551', disposition: { attached_pic: 0 } },
      { codec_name: 'mjpeg', codec_type: 'video', duration: '2.037556', disposition: { attached_pic: 1 } },
    ],
    format: { format_name: 'mp3', duration: '2.037551' },
  };

  // The same command on a phone video: the video stream comes first.
  const phoneVideo: RawProbe = {
    streams: [
      { codec_name: 'h264', codec_type: 'video', duration: '2.000000', disposition: { attached_pic: 0 } },
      { codec_name: 'aac', codec_type: 'audio', sample_rate: '44100', channels: 1, duration: '2.000000', disposition: { attached_pic: 0 } },
    ],
    format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '2.000000' },
  };

  it('reads format, duration and the audio stream from ffprobe JSON (strings for numbers)', () => {
    expect(parseProbe(mp3WithCoverArt)).toEqual({
      formatName: 'mp3',
      durationSeconds: 2.037551,
      hasVideo: false,
      audio: { codec: 'mp3', sampleRate: 44100, channels: 1, durationSeconds: 2.037551 },
    });
  });

  it('does not count cover art as video', () => {
    expect(parseProbe(mp3WithCoverArt).hasVideo).toBe(false);
  });

  it('finds the audio stream of a phone video after its video stream', () => {
    expect(parseProbe(phoneVideo)).toEqual({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSeconds: 2,
      hasVideo: true,
      audio: { codec: 'aac', sampleRate: 44100, channels: 1, durationSeconds: 2 },
    });
  });

  it('reads the numbers fluent-ffmpeg has already converted, and N/A as unknown', () => {
    // fluent-ffmpeg parses ffprobe's default output: numeric values become numbers, the rest stay strings.
    const parsed = parseProbe({
      streams: [{ codec_name: 'opus', codec_type: 'audio', sample_rate: 48000, channels: 2, duration: 'N/A', disposition: { attached_pic: 0 } }],
      format: { format_name: 'matroska,webm', duration: 'N/A' },
    });
    expect(parsed.audio).toEqual({ codec: 'opus', sampleRate: 48000, channels: 2, durationSeconds: null });
    expect(parsed.durationSeconds).toBeNull();
  });

  it('reports no audio for a file with only video', () => {
    const parsed = parseProbe({ streams: [{ codec_type: 'video', codec_name: 'h264' }], format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '4.0' } });
    expect(parsed.audio).toBeNull();
    expect(parsed.hasVideo).toBe(true);
  });

  it('takes the first of several audio streams', () => {
    const parsed = parseProbe({
      streams: [
        { codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2 },
        { codec_type: 'audio', codec_name: 'ac3', sample_rate: '44100', channels: 6 },
      ],
    });
    expect(parsed.audio?.codec).toBe('aac');
  });

  it('survives an empty answer', () => {
    expect(parseProbe({})).toEqual({ formatName: 'unknown', durationSeconds: null, hasVideo: false, audio: null });
  });

  it('reports unknown codec and zero rate/channels when ffprobe leaves them out', () => {
    expect(parseProbe({ streams: [{ codec_type: 'audio' }] }).audio).toEqual({ codec: 'unknown', sampleRate: 0, channels: 0, durationSeconds: null });
  });
});

describe('parseProcessedSeconds', () => {
  it('reads the last progress line of a decode', () => {
    const stderr =
      "Output #0, null, to 'pipe:':\n" +
      '  Stream #0:0: Audio: pcm_s16le, 44100 Hz, mono, s16, 705 kb/s\n' +
      'size=N/A time=00:00:00.02 bitrate=N/A speed=2.32e+04x    \r' +
      'size=N/A time=00:00:02.00 bitrate=N/A speed= 396x    \n' +
      'video:0kB audio:172kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown\n' +
      '[Parsed_volumedetect_0 @ 0x55b8e071bb40] n_samples: 88200\n';
    expect(parseProcessedSeconds(stderr)).toBe(2);
  });

  it('adds hours and minutes', () => {
    const stderr =
      'size=N/A time=00:00:00.12 bitrate=N/A speed=N/A    \r' +
      'size=N/A time=01:02:05.50 bitrate=N/A speed=1.4e+04x    \n' +
      'video:0kB audio:58211kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown\n';
    expect(parseProcessedSeconds(stderr)).toBeCloseTo(3725.5, 6);
  });

  it('reads a fractional progress time', () => {
    expect(parseProcessedSeconds('size=     123kB time=00:01:35.37 bitrate=  10.6kbits/s speed=  52x    \n')).toBeCloseTo(95.37, 6);
  });

  it('is null when ffmpeg never reported progress', () => {
    expect(parseProcessedSeconds('[mp3 @ 0x55d5] Failed to read frame size: Could not seek to 1026.\n/tmp/x: Invalid argument\n')).toBeNull();
    expect(parseProcessedSeconds('')).toBeNull();
  });
});

describe('parseMaxVolumeDb', () => {
  it('reads volumedetect max_volume', () => {
    const stderr =
      '[Parsed_volumedetect_0 @ 0x55a7c7ac7080] n_samples: 88200\n' +
      '[Parsed_volumedetect_0 @ 0x55a7c7ac7080] mean_volume: -17.6 dB\n' +
      '[Parsed_volumedetect_0 @ 0x55a7c7ac7080] max_volume: -14.5 dB\n' +
      '[Parsed_volumedetect_0 @ 0x55a7c7ac7080] histogram_14db: 18000\n';
    expect(parseMaxVolumeDb(stderr)).toBe(-14.5);
  });

  it('does not confuse mean_volume with max_volume', () => {
    expect(parseMaxVolumeDb('[Parsed_volumedetect_0 @ 0x1] mean_volume: -21.1 dB\n[Parsed_volumedetect_0 @ 0x1] max_volume: -18.1 dB\n')).toBe(-18.1);
  });

  it('reads a full-scale peak as 0 dB', () => {
    expect(parseMaxVolumeDb('[Parsed_volumedetect_0 @ 0x1] max_volume: 0.0 dB\n')).toBe(0);
  });

  it('reads digital silence, which ffmpeg 5.1 reports as -91 dB', () => {
    const stderr =
      '[Parsed_volumedetect_0 @ 0x564b9a64edc0] n_samples: 88200\n' +
      '[Parsed_volumedetect_0 @ 0x564b9a64edc0] mean_volume: -91.0 dB\n' +
      '[Parsed_volumedetect_0 @ 0x564b9a64edc0] max_volume: -91.0 dB\n';
    expect(parseMaxVolumeDb(stderr)).toBe(-91);
  });

  it('reads -inf dB as minus infinity', () => {
    expect(parseMaxVolumeDb('[Parsed_volumedetect_0 @ 0x1] max_volume: -inf dB\n')).toBe(-Infinity);
  });

  it('is null when nothing was decoded (volumedetect prints only n_samples: 0)', () => {
    expect(parseMaxVolumeDb('Output file is empty, nothing was encoded\n[Parsed_volumedetect_1 @ 0x556ed145f180] n_samples: 0\n')).toBeNull();
  });
});

describe('parseEbur128Summary', () => {
  const speech =
    '[silencedetect @ 0x559627789d40] silence_start: 3\n' +
    '[Parsed_ebur128_2 @ 0x55962778aa00] t: 0.899977   TARGET:-23 LUFS    M: -21.8 S:-120.7     I: -21.8 LUFS       LRA:   0.0 LU  FTPK: -18.1 dBFS  TPK: -18.1 dBFS\n' +
    'size=N/A time=00:00:05.00 bitrate=N/A speed= 160x    \n' +
    'video:0kB audio:431kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown\n' +
    '[Parsed_ebur128_2 @ 0x55962778aa00] Summary:\n' +
    '\n' +
    '  Integrated loudness:\n' +
    '    I:         -22.0 LUFS\n' +
    '    Threshold: -32.1 LUFS\n' +
    '\n' +
    '  Loudness range:\n' +
    '    LRA:         4.2 LU\n' +
    '    Threshold: -43.5 LUFS\n' +
    '    LRA low:   -26.1 LUFS\n' +
    '    LRA high:  -21.9 LUFS\n' +
    '\n' +
    '  True peak:\n' +
    '    Peak:      -18.1 dBFS\n' +
    '[silencedetect @ 0x559627789d40] silence_end: 5 | silence_duration: 2\n';

  it('reads integrated loudness, loudness range and true peak from the summary, not from the frame log', () => {
    expect(parseEbur128Summary(speech)).toEqual({ integratedLufs: -22, rangeLu: 4.2, peakDb: -18.1 });
  });

  it('reads a true peak above full scale', () => {
    const stderr =
      '[Parsed_ebur128_0 @ 0x56524ef28b80] Summary:\n\n' +
      '  Integrated loudness:\n    I:           0.2 LUFS\n    Threshold:  -9.7 LUFS\n\n' +
      '  Loudness range:\n    LRA:         0.0 LU\n    Threshold:   0.0 LUFS\n    LRA low:     0.0 LUFS\n    LRA high:    0.0 LUFS\n\n' +
      '  True peak:\n    Peak:        0.5 dBFS\n';
    expect(parseEbur128Summary(stderr)).toEqual({ integratedLufs: 0.2, rangeLu: 0, peakDb: 0.5 });
  });

  it('reads silence: -70 LUFS and a true peak of -inf', () => {
    const stderr =
      '[Parsed_ebur128_0 @ 0x55a4d8d5dac0] Summary:\n\n' +
      '  Integrated loudness:\n    I:         -70.0 LUFS\n    Threshold:   0.0 LUFS\n\n' +
      '  Loudness range:\n    LRA:         0.0 LU\n    Threshold:   0.0 LUFS\n    LRA low:     0.0 LUFS\n    LRA high:    0.0 LUFS\n\n' +
      '  True peak:\n    Peak:       -inf dBFS\n';
    expect(parseEbur128Summary(stderr)).toEqual({ integratedLufs: -70, rangeLu: 0, peakDb: -Infinity });
  });

  it('reads the last summary when there are several', () => {
    const first = speech.replace('I:         -22.0 LUFS', 'I:         -30.0 LUFS');
    const second = speech.replace('I:         -22.0 LUFS', 'I:         -16.1 LUFS');
    expect(parseEbur128Summary(first + second).integratedLufs).toBe(-16.1);
  });

  it('throws when ffmpeg printed no summary', () => {
    expect(() => parseEbur128Summary('size=N/A time=00:00:05.00 bitrate=N/A speed= 160x    \n')).toThrow('no ebur128 summary');
  });

  it('throws naming the missing value of a cut-off summary', () => {
    expect(() => parseEbur128Summary('[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -22.0 LUFS\n')).toThrow('LRA');
  });
});

describe('parseSilences', () => {
  it('pairs a leading and a trailing silence; ffmpeg 5.1 closes the trailing one after the summary', () => {
    const stderr =
      'size=N/A time=00:00:00.00 bitrate=N/A speed=N/A    \r' +
      '[silencedetect @ 0x558be2f7b9c0] silence_start: 0\n' +
      '[silencedetect @ 0x558be2f7b9c0] silence_end: 1.50002 | silence_duration: 1.50002\n' +
      '[silencedetect @ 0x558be2f7b9c0] silence_start: 4.5\n' +
      'size=N/A time=00:00:05.75 bitrate=N/A speed= 258x    \n' +
      '[Parsed_ebur128_2 @ 0x55962778aa00] Summary:\n' +
      '    I:         -22.2 LUFS\n' +
      '[silencedetect @ 0x558be2f7b9c0] silence_end: 5.75 | silence_duration: 1.25\n';
    expect(parseSilences(stderr)).toEqual([
      { startSeconds: 0, endSeconds: 1.50002 },
      { startSeconds: 4.5, endSeconds: 5.75 },
    ]);
  });

  it('reads a silence in the middle', () => {
    const stderr =
      '[silencedetect @ 0x55c14325fdc0] silence_start: 1\n' +
      '[silencedetect @ 0x55c14325fdc0] silence_end: 2.00002 | silence_duration: 1.00002\n' +
      'size=N/A time=00:00:03.00 bitrate=N/A speed= 273x    \n';
    expect(parseSilences(stderr)).toEqual([{ startSeconds: 1, endSeconds: 2.00002 }]);
  });

  it('leaves the end open for a silence that runs to the end without a silence_end', () => {
    const stderr = '[silencedetect @ 0x559627789d40] silence_start: 3\nsize=N/A time=00:00:05.00 bitrate=N/A speed= 160x    \n';
    expect(parseSilences(stderr)).toEqual([{ startSeconds: 3, endSeconds: null }]);
  });

  it('reads times that silencedetect prints in exponent notation', () => {
    // A one-sample click at the very start, then silence: ffmpeg prints the start with %.6g.
    const stderr =
      '[silencedetect @ 0x5629a0c6fec0] silence_start: 2.08333e-05\n' +
      'size=N/A time=00:00:02.00 bitrate=N/A speed= 203x    \n' +
      '[silencedetect @ 0x5629a0c6fec0] silence_end: 2 | silence_duration: 1.99998\n';
    const [silence] = parseSilences(stderr);
    expect(silence.startSeconds).toBeCloseTo(0.0000208333, 9);
    expect(silence.endSeconds).toBe(2);
  });

  it('clamps a slightly negative start to zero', () => {
    expect(parseSilences('[silencedetect @ 0x1] silence_start: -0.0213333\n[silencedetect @ 0x1] silence_end: 1.2 | silence_duration: 1.22133\n')).toEqual([
      { startSeconds: 0, endSeconds: 1.2 },
    ]);
  });

  it('ignores a silence_end without a start', () => {
    expect(parseSilences('[silencedetect @ 0x1] silence_end: 1.2 | silence_duration: 1.2\n')).toEqual([]);
  });

  it('finds none in speech without pauses', () => {
    expect(parseSilences('size=N/A time=00:00:05.00 bitrate=N/A speed= 160x    \n')).toEqual([]);
  });
});
