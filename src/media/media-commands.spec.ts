import {
  ACCEPTED_DEMUXERS,
  analysisInvocation,
  dbToLinear,
  FfmpegInvocation,
  inspectionInvocation,
  measurementInvocation,
  mulawInspectionInvocation,
  mulawInvocation,
  probeOptions,
  renderFilters,
  RenderPlan,
  renderInvocation,
  safeInputOptions,
  synthesisInvocation,
  trialInvocation,
} from './media-commands';

const UPLOAD = '/srv/loa/audio/tmp/3f0c.upload';

function plan(overrides: Partial<RenderPlan> = {}): RenderPlan {
  return {
    trim: null,
    compression: null,
    gainDb: 4.5,
    limiterCeilingDb: null,
    sampleRate: 44100,
    bitrateKbps: 96,
    ...overrides,
  };
}

/** The value of `-name value` in an option list. */
function optionValue(options: string[], name: string): string | undefined {
  const index = options.indexOf(name);
  return index < 0 ? undefined : options[index + 1];
}

/** The filter name of each step of an audio filter chain (`volume=3dB` → `volume`). */
function filterNames(invocation: FfmpegInvocation): string[] {
  return invocation.audioFilters.map((filter) => filter.split('=')[0]);
}

function filterStartingWith(invocation: FfmpegInvocation, name: string): string {
  const filter = invocation.audioFilters.find((candidate) => candidate.startsWith(`${name}=`));
  if (!filter) throw new Error(`no ${name} in ${invocation.audioFilters.join(',')}`);
  return filter;
}

function expectSafeInput(invocation: FfmpegInvocation): void {
  expect(optionValue(invocation.inputOptions, '-protocol_whitelist')).toBe('file');
  expect(optionValue(invocation.inputOptions, '-format_whitelist')).toBe(ACCEPTED_DEMUXERS.join(','));
}

describe('safeInputOptions', () => {
  it('allows only local files and the accepted demuxers', () => {
    expect(safeInputOptions()).toEqual(['-protocol_whitelist', 'file', '-format_whitelist', ACCEPTED_DEMUXERS.join(',')]);
  });

  it.each(['hls', 'concat', 'image2', 'lavfi', 'tty', 'ffmetadata'])('does not let the %s demuxer parse an upload', (dangerous) => {
    expect(optionValue(safeInputOptions(), '-format_whitelist')!.split(',')).not.toContain(dangerous);
  });

  it('opens no protocol but local files (no http, tcp, data or subfile)', () => {
    expect(optionValue(safeInputOptions(), '-protocol_whitelist')!.split(',')).toEqual(['file']);
  });

  it('accepts the containers phones and recorders produce', () => {
    const allowed = optionValue(safeInputOptions(), '-format_whitelist')!.split(',');
    for (const demuxer of ['mp3', 'wav', 'mov', 'matroska', 'ogg', 'flac', 'amr', 'asf', 'aac']) expect(allowed).toContain(demuxer);
  });

  it('returns a fresh list, so one invocation cannot change the next', () => {
    const first = safeInputOptions();
    first.push('-i', 'http://evil.example/x.m3u8');
    expect(safeInputOptions()).toHaveLength(4);
  });
});

describe('probeOptions', () => {
  it('keeps ffprobe quiet and applies the same whitelists', () => {
    const options = probeOptions();
    expect(options.slice(0, 2)).toEqual(['-v', 'error']);
    expect(options.slice(2)).toEqual(safeInputOptions());
  });
});

describe('every invocation on an upload', () => {
  const invocations: Array<[string, FfmpegInvocation]> = [
    ['inspection', inspectionInvocation(UPLOAD, 3600)],
    ['analysis', analysisInvocation(UPLOAD, -46, 0.3)],
    ['render', renderInvocation(UPLOAD, plan({ trim: { startSeconds: 1, endSeconds: 9 }, limiterCeilingDb: -2.5 }), '/tmp/out.mp3')],
    ['trial', trialInvocation(UPLOAD, plan({ limiterCeilingDb: -2.5 }))],
  ];

  it.each(invocations)('%s passes the whitelists as input options of the upload', (_name, invocation) => {
    expect(invocation.input).toBe(UPLOAD);
    expectSafeInput(invocation);
  });

  it.each(invocations)('%s reads only the first audio stream', (_name, invocation) => {
    expect(optionValue(invocation.outputOptions, '-map')).toBe('0:a:0');
  });

  it.each(invocations)('%s puts no input or whitelist among the output options', (_name, invocation) => {
    expect(invocation.outputOptions).not.toContain('-i');
    expect(invocation.outputOptions).not.toContain('-protocol_whitelist');
  });
});

describe('inspectionInvocation', () => {
  it('decodes and discards, measuring the peak', () => {
    const invocation = inspectionInvocation(UPLOAD, 3600);
    expect(invocation.output).toBeNull();
    expect(optionValue(invocation.outputOptions, '-f')).toBe('null');
    expect(invocation.audioFilters).toEqual(['volumedetect']);
  });

  it('stops decoding one second past the maximum, so an over-long upload is detected without decoding it all', () => {
    expect(optionValue(inspectionInvocation(UPLOAD, 3600).outputOptions, '-t')).toBe('3601');
    expect(optionValue(inspectionInvocation(UPLOAD, 90).outputOptions, '-t')).toBe('91');
  });

  it('puts -t before -f null, where ffmpeg applies it to the output', () => {
    const options = inspectionInvocation(UPLOAD, 60).outputOptions;
    expect(options.indexOf('-t')).toBeGreaterThan(-1);
    expect(options.indexOf('-t')).toBeLessThan(options.indexOf('-f'));
  });
});

describe('analysisInvocation', () => {
  it('measures the mono mix: silences, then loudness with the (cheap) sample peak', () => {
    expect(analysisInvocation(UPLOAD, -46, 0.3).audioFilters).toEqual([
      'aformat=channel_layouts=mono',
      'silencedetect=noise=-46dB:duration=0.3',
      'ebur128=framelog=verbose:peak=sample',
    ]);
  });

  it('writes no file', () => {
    const invocation = analysisInvocation(UPLOAD, -46, 0.3);
    expect(invocation.output).toBeNull();
    expect(optionValue(invocation.outputOptions, '-f')).toBe('null');
  });

  it('formats the threshold and duration as plain decimals', () => {
    expect(analysisInvocation(UPLOAD, -45.123456, 0.30000000000000004).audioFilters[1]).toBe('silencedetect=noise=-45.1235dB:duration=0.3');
  });
});

describe('renderInvocation', () => {
  it('chains trim → mono → compressor → volume → limiter → resample', () => {
    const invocation = renderInvocation(
      UPLOAD,
      plan({ trim: { startSeconds: 1.4, endSeconds: 4.6 }, compression: { thresholdDb: -24, ratio: 2 }, limiterCeilingDb: -2.5 }),
      '/tmp/out.mp3',
    );
    expect(filterNames(invocation)).toEqual(['atrim', 'asetpts', 'aformat', 'acompressor', 'volume', 'alimiter', 'aresample']);
  });

  it('without trim, compression or limiter only converts to mono, applies the gain and resamples', () => {
    expect(renderFilters(plan({ gainDb: 6 }))).toEqual(['aformat=channel_layouts=mono', 'volume=6dB', 'aresample=44100']);
  });

  it('feeds the encoder exactly the chain that the trials measured', () => {
    const planned = plan({ limiterCeilingDb: -2.5 });
    expect(renderInvocation(UPLOAD, planned, '/tmp/out.mp3').audioFilters).toEqual(renderFilters(planned));
  });

  it("uses LAME's fast mode", () => {
    expect(optionValue(renderInvocation(UPLOAD, plan(), '/tmp/out.mp3').outputOptions, '-compression_level')).toBe('7');
  });

  it('trims to the planned window and restarts timestamps at zero', () => {
    const invocation = renderInvocation(UPLOAD, plan({ trim: { startSeconds: 1.40002, endSeconds: 4.6 } }), '/tmp/out.mp3');
    expect(invocation.audioFilters.slice(0, 2)).toEqual(['atrim=start=1.4:end=4.6', 'asetpts=PTS-STARTPTS']);
  });

  it('compresses above the planned threshold, converted from dB to a linear level', () => {
    const filter = filterStartingWith(renderInvocation(UPLOAD, plan({ compression: { thresholdDb: -20, ratio: 1.6 } }), '/tmp/out.mp3'), 'acompressor');
    expect(filter).toBe('acompressor=threshold=0.1:ratio=1.6:attack=20:release=250:detection=rms');
  });

  it('keeps the compressor threshold within what acompressor accepts for a very quiet recording', () => {
    // acompressor rejects thresholds under 0.000976563 ("Numerical result out of range") and the render fails.
    const filter = filterStartingWith(renderInvocation(UPLOAD, plan({ compression: { thresholdDb: -75, ratio: 2 } }), '/tmp/out.mp3'), 'acompressor');
    const threshold = Number(/threshold=([^:]+)/.exec(filter)![1]);
    expect(threshold).toBeGreaterThanOrEqual(0.000976563);
  });

  it('has no compressor when none is planned', () => {
    expect(filterNames(renderInvocation(UPLOAD, plan(), '/tmp/out.mp3'))).not.toContain('acompressor');
  });

  it('applies negative gain to a loud recording', () => {
    expect(filterStartingWith(renderInvocation(UPLOAD, plan({ gainDb: -7.25 }), '/tmp/out.mp3'), 'volume')).toBe('volume=-7.25dB');
  });

  it('limits to the planned sample-peak ceiling', () => {
    const filter = filterStartingWith(renderInvocation(UPLOAD, plan({ limiterCeilingDb: -2.5 }), '/tmp/out.mp3'), 'alimiter');
    expect(filter).toBe(`alimiter=limit=${Number(dbToLinear(-2.5).toFixed(4))}:attack=5:release=50:level=false:latency=true`);
    expect(filter).toContain('limit=0.7499');
  });

  it('has no limiter when none is planned', () => {
    expect(filterNames(renderInvocation(UPLOAD, plan({ limiterCeilingDb: null }), '/tmp/out.mp3'))).not.toContain('alimiter');
  });

  it('keeps the limiter ceiling within what alimiter accepts after many corrections', () => {
    const filter = filterStartingWith(renderInvocation(UPLOAD, plan({ limiterCeilingDb: -40 }), '/tmp/out.mp3'), 'alimiter');
    expect(filter).toContain('limit=0.0625:');
  });

  it('encodes a mono MP3 at the planned bitrate and sample rate, without the upload metadata', () => {
    const invocation = renderInvocation(UPLOAD, plan({ sampleRate: 48000, bitrateKbps: 128 }), '/srv/loa/audio/tmp/r.mp3');
    expect(invocation.output).toBe('/srv/loa/audio/tmp/r.mp3');
    expect(invocation.audioFilters.at(-1)).toBe('aresample=48000');
    const options = invocation.outputOptions;
    expect(optionValue(options, '-ar')).toBe('48000');
    expect(optionValue(options, '-ac')).toBe('1');
    expect(optionValue(options, '-b:a')).toBe('128k');
    expect(optionValue(options, '-c:a')).toBe('libmp3lame');
    expect(optionValue(options, '-f')).toBe('mp3');
    expect(optionValue(options, '-map_metadata')).toBe('-1');
    expect(options).toEqual(expect.arrayContaining(['-vn', '-sn', '-dn']));
  });

  it('never writes numbers in exponent notation, which ffmpeg filter options do not parse', () => {
    const invocation = renderInvocation(
      UPLOAD,
      plan({
        trim: { startSeconds: 2.08333e-5, endSeconds: 1234567.891234 },
        compression: { thresholdDb: -59.99999999, ratio: 1.0000001 },
        gainDb: 1e-7,
        limiterCeilingDb: -1e-9,
      }),
      '/tmp/out.mp3',
    );
    for (const filter of invocation.audioFilters) expect(filter).not.toMatch(/\de[-+]?\d/i);
    expect(invocation.audioFilters).toContain('atrim=start=0:end=1234567.8912');
    expect(invocation.audioFilters).toContain('volume=0dB');
  });

  it('rounds to four decimals and drops trailing zeros', () => {
    const invocation = renderInvocation(UPLOAD, plan({ gainDb: 3.000049, trim: { startSeconds: 0.5, endSeconds: 10 } }), '/tmp/out.mp3');
    expect(invocation.audioFilters).toContain('volume=3dB');
    expect(invocation.audioFilters).toContain('atrim=start=0.5:end=10');
  });

  it('does not write a negative zero gain', () => {
    expect(filterStartingWith(renderInvocation(UPLOAD, plan({ gainDb: -0.00001 }), '/tmp/out.mp3'), 'volume')).toBe('volume=0dB');
  });
});

describe('measurementInvocation', () => {
  it("measures Loa's own rendition with true peak, opening local files only", () => {
    const invocation = measurementInvocation('/srv/loa/audio/tmp/r.mp3');
    expect(invocation.input).toBe('/srv/loa/audio/tmp/r.mp3');
    expect(optionValue(invocation.inputOptions, '-protocol_whitelist')).toBe('file');
    expect(invocation.audioFilters).toEqual(['ebur128=framelog=verbose:peak=true']);
    expect(invocation.output).toBeNull();
  });
});

describe('trialInvocation', () => {
  it('runs the same chain as the render and measures only integrated loudness, writing nothing', () => {
    const planned = plan({ compression: { thresholdDb: -24, ratio: 2 }, limiterCeilingDb: -2.5 });
    const invocation = trialInvocation(UPLOAD, planned);
    expect(invocation.audioFilters).toEqual([...renderFilters(planned), 'ebur128=framelog=verbose']);
    expect(invocation.output).toBeNull();
    expect(optionValue(invocation.outputOptions, '-f')).toBe('null');
  });
});

describe('synthesisInvocation', () => {
  it('reads a lavfi graph and writes an MP3', () => {
    const invocation = synthesisInvocation('sine=d=3', '/tmp/demo.mp3');
    expect(invocation.inputOptions).toEqual(['-f', 'lavfi']);
    expect(invocation.input).toBe('sine=d=3');
    expect(invocation.output).toBe('/tmp/demo.mp3');
    expect(optionValue(invocation.outputOptions, '-f')).toBe('mp3');
  });
});

describe('dbToLinear', () => {
  it.each([
    [0, 1],
    [-6.0206, 0.5],
    [-20, 0.1],
    [20, 10],
    [-60, 0.001],
  ])('%p dB is %p', (db, linear) => {
    expect(dbToLinear(db)).toBeCloseTo(linear, 4);
  });
});

describe('mulawInvocation', () => {
  const RENDITION = '/srv/loa/audio/renditions/ab/ab12.mp3';
  const invocation = mulawInvocation(RENDITION, '/srv/loa/audio/tmp/1f2e.mulaw');

  it('writes raw G.711 µ-law at 8 kHz, mono, to the given file', () => {
    expect(invocation.input).toBe(RENDITION);
    expect(invocation.output).toBe('/srv/loa/audio/tmp/1f2e.mulaw');
    expect(optionValue(invocation.outputOptions, '-f')).toBe('mulaw');
    expect(optionValue(invocation.outputOptions, '-c:a')).toBe('pcm_mulaw');
    expect(optionValue(invocation.outputOptions, '-ar')).toBe('8000');
    expect(optionValue(invocation.outputOptions, '-ac')).toBe('1');
  });

  it('sends only the audio: no metadata, video, subtitle or data stream reaches the speaker', () => {
    expect(optionValue(invocation.outputOptions, '-map')).toBe('0:a:0');
    expect(optionValue(invocation.outputOptions, '-map_metadata')).toBe('-1');
    for (const flag of ['-vn', '-sn', '-dn']) expect(invocation.outputOptions).toContain(flag);
  });

  it('opens only local files', () => {
    expect(invocation.inputOptions).toEqual(['-protocol_whitelist', 'file']);
    expect(invocation.audioFilters).toEqual([]);
  });
});

describe('mulawInspectionInvocation', () => {
  const invocation = mulawInspectionInvocation('/tmp/received.mulaw');

  it('states the raw format, since µ-law has no header to read it from', () => {
    expect(invocation.inputOptions).toEqual(['-protocol_whitelist', 'file', '-f', 'mulaw', '-ar', '8000', '-ac', '1']);
  });

  it('decodes everything once, measuring the peak and writing nothing', () => {
    expect(invocation.audioFilters).toEqual(['volumedetect']);
    expect(invocation.outputOptions).toEqual(['-f', 'null']);
    expect(invocation.output).toBeNull();
  });
});
