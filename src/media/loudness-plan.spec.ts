import { LoudnessTarget } from '../config/app-config';
import { LoudnessMeasurement } from './ffmpeg-output';
import {
  correctedRenderPlan,
  initialRenderPlan,
  LIMITER_MARGIN_DB,
  LOUDNESS_TOLERANCE_LU,
  meetsTarget,
  nextTrialGain,
  silenceThresholdDb,
  SilentAudioError,
  TRIM_PAD_SECONDS,
  trimFromSilences,
} from './loudness-plan';
import { RenderPlan } from './media-commands';

const TARGET: LoudnessTarget = { integratedLufs: -16, truePeakDbtp: -1.5, rangeLu: 11 };
const SETTINGS = { sampleRate: 44100, bitrateKbps: 96 };
/** The sample-peak ceiling the limiter gets for TARGET. */
const CEILING = TARGET.truePeakDbtp - LIMITER_MARGIN_DB;

function measured(overrides: Partial<LoudnessMeasurement> = {}): LoudnessMeasurement {
  return { integratedLufs: -22, rangeLu: 6, peakDb: -12, ...overrides };
}

describe('silenceThresholdDb', () => {
  it('sits 40 dB under the peak of a normal recording', () => {
    expect(silenceThresholdDb(-8)).toBe(-48);
    expect(silenceThresholdDb(-20)).toBe(-60);
  });

  it('is never above -45 dB, so the quiet parts of a loud recording stay audio', () => {
    expect(silenceThresholdDb(0)).toBe(-45);
    expect(silenceThresholdDb(-1)).toBe(-45);
    expect(silenceThresholdDb(-5)).toBe(-45);
  });

  it('is never below -70 dB, so a quiet phone recording still has silences', () => {
    expect(silenceThresholdDb(-30)).toBe(-70);
    expect(silenceThresholdDb(-55)).toBe(-70);
  });

  it('is -45 dB exactly at a -5 dBFS peak and -70 dB exactly at a -30 dBFS peak', () => {
    expect(silenceThresholdDb(-5)).toBe(-45);
    expect(silenceThresholdDb(-30)).toBe(-70);
    expect(silenceThresholdDb(-4.9)).toBe(-45);
    expect(silenceThresholdDb(-29.9)).toBeCloseTo(-69.9, 10);
  });
});

describe('trimFromSilences', () => {
  it('is null when there is no silence', () => {
    expect(trimFromSilences([], 12)).toBeNull();
  });

  it('cuts a leading silence, keeping a short pad before the speech', () => {
    expect(trimFromSilences([{ startSeconds: 0, endSeconds: 1.50002 }], 5.75)).toEqual({
      startSeconds: 1.50002 - TRIM_PAD_SECONDS,
      endSeconds: 5.75,
    });
  });

  it('cuts a trailing silence that ffmpeg closed at the end of the stream, keeping a short pad after the speech', () => {
    expect(trimFromSilences([{ startSeconds: 3, endSeconds: 5 }], 5)).toEqual({ startSeconds: 0, endSeconds: 3 + TRIM_PAD_SECONDS });
  });

  it('cuts a trailing silence that was never closed', () => {
    expect(trimFromSilences([{ startSeconds: 3, endSeconds: null }], 5)).toEqual({ startSeconds: 0, endSeconds: 3 + TRIM_PAD_SECONDS });
  });

  it('cuts both ends', () => {
    const trim = trimFromSilences(
      [
        { startSeconds: 0, endSeconds: 1.50002 },
        { startSeconds: 4.5, endSeconds: 5.75 },
      ],
      5.75,
    );
    expect(trim?.startSeconds).toBeCloseTo(1.40002, 6);
    expect(trim?.endSeconds).toBeCloseTo(4.6, 6);
  });

  it('keeps pauses in the middle of the speech', () => {
    expect(trimFromSilences([{ startSeconds: 1, endSeconds: 2.00002 }], 3)).toBeNull();
    expect(
      trimFromSilences(
        [
          { startSeconds: 2, endSeconds: 3 },
          { startSeconds: 6, endSeconds: 7.5 },
        ],
        10,
      ),
    ).toBeNull();
  });

  it('cuts both ends and keeps the pauses between them', () => {
    expect(
      trimFromSilences(
        [
          { startSeconds: 0, endSeconds: 2 },
          { startSeconds: 4, endSeconds: 5 },
          { startSeconds: 8, endSeconds: 10 },
        ],
        10,
      ),
    ).toEqual({ startSeconds: 2 - TRIM_PAD_SECONDS, endSeconds: 8 + TRIM_PAD_SECONDS });
  });

  it('treats a silence starting within 50 ms of the start as leading (a click before the silence)', () => {
    const trim = trimFromSilences([{ startSeconds: 0.0000208333, endSeconds: 1.2 }], 6);
    expect(trim).toEqual({ startSeconds: 1.2 - TRIM_PAD_SECONDS, endSeconds: 6 });
  });

  it('does not treat a silence starting after 50 ms as leading', () => {
    expect(trimFromSilences([{ startSeconds: 0.2, endSeconds: 1.2 }], 6)).toBeNull();
  });

  it('treats a silence ending within 50 ms of the end as trailing', () => {
    expect(trimFromSilences([{ startSeconds: 4, endSeconds: 5.97 }], 6)).toEqual({ startSeconds: 0, endSeconds: 4 + TRIM_PAD_SECONDS });
  });

  it('is null when the silences are shorter than the pad', () => {
    expect(
      trimFromSilences(
        [
          { startSeconds: 0, endSeconds: 0.08 },
          { startSeconds: 9.95, endSeconds: 10 },
        ],
        10,
      ),
    ).toBeNull();
  });

  it('never starts before zero or ends after the duration', () => {
    expect(
      trimFromSilences(
        [
          { startSeconds: 0, endSeconds: 0.06 },
          { startSeconds: 3, endSeconds: null },
        ],
        5,
      ),
    ).toEqual({ startSeconds: 0, endSeconds: 3 + TRIM_PAD_SECONDS });
    expect(
      trimFromSilences(
        [
          { startSeconds: 0, endSeconds: 2 },
          { startSeconds: 4.98, endSeconds: null },
        ],
        5,
      ),
    ).toEqual({ startSeconds: 2 - TRIM_PAD_SECONDS, endSeconds: 5 });
  });

  it('rejects audio that is silent from start to end', () => {
    expect(() => trimFromSilences([{ startSeconds: 0, endSeconds: 4 }], 4)).toThrow(SilentAudioError);
  });

  it('rejects audio whose only silence starts at zero and never ends', () => {
    expect(() => trimFromSilences([{ startSeconds: 0, endSeconds: null }], 4)).toThrow(SilentAudioError);
  });

  it('rejects a click followed by silence to the end', () => {
    expect(() => trimFromSilences([{ startSeconds: 0.0000208333, endSeconds: 2 }], 2)).toThrow('silent from start to end');
  });
});

describe('initialRenderPlan', () => {
  it('applies the gain that brings the measured loudness to the target', () => {
    expect(initialRenderPlan(measured({ integratedLufs: -22 }), TARGET, null, SETTINGS).gainDb).toBe(6);
    expect(initialRenderPlan(measured({ integratedLufs: -9.5, peakDb: -0.2 }), TARGET, null, SETTINGS).gainDb).toBe(-6.5);
  });

  it('carries the trim and the rendition settings', () => {
    const trim = { startSeconds: 1.4, endSeconds: 4.6 };
    const plan = initialRenderPlan(measured(), TARGET, trim, { sampleRate: 48000, bitrateKbps: 128 });
    expect(plan.trim).toBe(trim);
    expect(plan.sampleRate).toBe(48000);
    expect(plan.bitrateKbps).toBe(128);
  });

  it('does not compress a recording whose loudness range is within the target', () => {
    expect(initialRenderPlan(measured({ rangeLu: 6 }), TARGET, null, SETTINGS).compression).toBeNull();
    expect(initialRenderPlan(measured({ rangeLu: TARGET.rangeLu }), TARGET, null, SETTINGS).compression).toBeNull();
  });

  it('compresses a recording whose range is wider than the target, from its own loudness', () => {
    expect(initialRenderPlan(measured({ integratedLufs: -24, rangeLu: 16.5 }), TARGET, null, SETTINGS).compression).toEqual({
      thresholdDb: -24,
      ratio: 1.5,
    });
  });

  it('never compresses harder than 4:1', () => {
    expect(initialRenderPlan(measured({ rangeLu: 60 }), TARGET, null, SETTINGS).compression?.ratio).toBe(4);
  });

  it('adds no limiter when the peak after gain stays under the ceiling', () => {
    // -12 dBTP + 6 dB = -6 dBTP, well under -2.5
    expect(initialRenderPlan(measured({ integratedLufs: -22, peakDb: -12 }), TARGET, null, SETTINGS).limiterCeilingDb).toBeNull();
  });

  it('adds no limiter when the peak after gain lands exactly on the ceiling', () => {
    // -8.5 dBTP + 6 dB = -2.5
    expect(initialRenderPlan(measured({ integratedLufs: -22, peakDb: -8.5 }), TARGET, null, SETTINGS).limiterCeilingDb).toBeNull();
  });

  it('limits at the true-peak target minus the margin when the gain would push the peak over it', () => {
    // -8 dBTP + 6 dB = -2 dBTP > -2.5
    const plan = initialRenderPlan(measured({ integratedLufs: -22, peakDb: -8 }), TARGET, null, SETTINGS);
    expect(plan.limiterCeilingDb).toBe(CEILING);
    expect(plan.limiterCeilingDb).toBe(-2.5);
  });

  it('limits a recording already peaking over the ceiling even when it is turned down', () => {
    const plan = initialRenderPlan(measured({ integratedLufs: -14, peakDb: 0.3 }), TARGET, null, SETTINGS);
    expect(plan.gainDb).toBe(-2);
    expect(plan.limiterCeilingDb).toBe(CEILING);
  });

  it('adds no limiter for compression alone, since the compressor only lowers peaks', () => {
    const plan = initialRenderPlan(measured({ integratedLufs: -22, rangeLu: 18, peakDb: -14 }), TARGET, null, SETTINGS);
    expect(plan.compression).not.toBeNull();
    expect(plan.limiterCeilingDb).toBeNull();
  });

  it('compresses and limits when both are needed', () => {
    const plan = initialRenderPlan(measured({ integratedLufs: -30, rangeLu: 18, peakDb: -6 }), TARGET, null, SETTINGS);
    expect(plan.compression).not.toBeNull();
    expect(plan.limiterCeilingDb).toBe(CEILING);
  });

  it('rejects audio with no measurable loudness (-inf)', () => {
    expect(() => initialRenderPlan(measured({ integratedLufs: -Infinity }), TARGET, null, SETTINGS)).toThrow(SilentAudioError);
  });

  it('rejects audio ebur128 reports at its -70 LUFS floor instead of amplifying noise by 54 dB', () => {
    expect(() => initialRenderPlan(measured({ integratedLufs: -70, rangeLu: 0, peakDb: -40 }), TARGET, null, SETTINGS)).toThrow(SilentAudioError);
  });

  it('still renders very quiet speech above the floor', () => {
    expect(initialRenderPlan(measured({ integratedLufs: -55, peakDb: -40 }), TARGET, null, SETTINGS).gainDb).toBe(39);
  });
});

describe('meetsTarget', () => {
  it('accepts a rendition on target', () => {
    expect(meetsTarget({ integratedLufs: -16, rangeLu: 5, peakDb: -2 }, TARGET)).toBe(true);
  });

  it('accepts loudness within the tolerance on either side, and exactly at it', () => {
    expect(meetsTarget({ integratedLufs: -16.4, rangeLu: 5, peakDb: -2 }, TARGET)).toBe(true);
    expect(meetsTarget({ integratedLufs: -15.6, rangeLu: 5, peakDb: -2 }, TARGET)).toBe(true);
    expect(meetsTarget({ integratedLufs: -16 - LOUDNESS_TOLERANCE_LU, rangeLu: 5, peakDb: -2 }, TARGET)).toBe(true);
  });

  it('rejects a rendition too quiet or too loud', () => {
    expect(meetsTarget({ integratedLufs: -16.6, rangeLu: 5, peakDb: -2 }, TARGET)).toBe(false);
    expect(meetsTarget({ integratedLufs: -15.4, rangeLu: 5, peakDb: -2 }, TARGET)).toBe(false);
  });

  it('accepts a true peak exactly at the target and rejects one over it', () => {
    expect(meetsTarget({ integratedLufs: -16, rangeLu: 5, peakDb: -1.5 }, TARGET)).toBe(true);
    expect(meetsTarget({ integratedLufs: -16, rangeLu: 5, peakDb: -1.4 }, TARGET)).toBe(false);
  });

  it('takes a custom tolerance', () => {
    expect(meetsTarget({ integratedLufs: -17, rangeLu: 5, peakDb: -2 }, TARGET, 1)).toBe(true);
    expect(meetsTarget({ integratedLufs: -16.2, rangeLu: 5, peakDb: -2 }, TARGET, 0.1)).toBe(false);
  });
});

describe('correctedRenderPlan', () => {
  const previous: RenderPlan = {
    trim: { startSeconds: 1, endSeconds: 9 },
    compression: { thresholdDb: -24, ratio: 1.5 },
    gainDb: 8,
    limiterCeilingDb: null,
    ...SETTINGS,
  };

  it('raises the gain by how much the rendition fell short of the target', () => {
    const plan = correctedRenderPlan(previous, { integratedLufs: -17.8, rangeLu: 7, peakDb: -6 }, TARGET);
    expect(plan.gainDb).toBeCloseTo(9.8, 10);
  });

  it('lowers the gain by how much the rendition overshot the target', () => {
    const plan = correctedRenderPlan(previous, { integratedLufs: -15.2, rangeLu: 7, peakDb: -6 }, TARGET);
    expect(plan.gainDb).toBeCloseTo(7.2, 10);
  });

  it('adds a limiter at the default ceiling when it raises the gain', () => {
    expect(correctedRenderPlan(previous, { integratedLufs: -17, rangeLu: 7, peakDb: -6 }, TARGET).limiterCeilingDb).toBe(CEILING);
  });

  it('adds no limiter when it only lowers the gain of a rendition without one and the peak is fine', () => {
    expect(correctedRenderPlan(previous, { integratedLufs: -15, rangeLu: 7, peakDb: -6 }, TARGET).limiterCeilingDb).toBeNull();
  });

  it('lowers the ceiling by the true-peak overshoot', () => {
    const plan = correctedRenderPlan({ ...previous, limiterCeilingDb: -2.5 }, { integratedLufs: -16, rangeLu: 7, peakDb: -0.7 }, TARGET);
    expect(plan.limiterCeilingDb).toBeCloseTo(-3.3, 10);
    expect(plan.gainDb).toBe(8);
  });

  it('adds a limiter below the default ceiling when a rendition without one overshot the true peak', () => {
    const plan = correctedRenderPlan(previous, { integratedLufs: -16, rangeLu: 7, peakDb: -1 }, TARGET);
    expect(plan.limiterCeilingDb).toBeCloseTo(CEILING - 0.5, 10);
  });

  it('keeps an existing ceiling when the true peak is under the target', () => {
    expect(correctedRenderPlan({ ...previous, limiterCeilingDb: -3 }, { integratedLufs: -15, rangeLu: 7, peakDb: -2 }, TARGET).limiterCeilingDb).toBe(-3);
  });

  it('corrects loudness and peak together', () => {
    const plan = correctedRenderPlan({ ...previous, limiterCeilingDb: -2.5 }, { integratedLufs: -17, rangeLu: 7, peakDb: -1 }, TARGET);
    expect(plan.gainDb).toBe(9);
    expect(plan.limiterCeilingDb).toBeCloseTo(-3, 10);
  });

  it('keeps the trim, compression and rendition settings', () => {
    const plan = correctedRenderPlan(previous, { integratedLufs: -17, rangeLu: 7, peakDb: -1 }, TARGET);
    expect(plan.trim).toEqual(previous.trim);
    expect(plan.compression).toEqual(previous.compression);
    expect(plan.sampleRate).toBe(44100);
    expect(plan.bitrateKbps).toBe(96);
  });

  it('does not change the previous plan', () => {
    const before = { ...previous };
    correctedRenderPlan(previous, { integratedLufs: -17, rangeLu: 7, peakDb: -1 }, TARGET);
    expect(previous).toEqual(before);
  });
});

describe('nextTrialGain', () => {
  it('steps by the whole loudness error after a single trial', () => {
    expect(nextTrialGain([{ gainDb: 10, integratedLufs: -17.2 }], -16)).toBeCloseTo(11.2);
  });

  it('follows the secant through two trials, as a limiter bends loudness below the gain', () => {
    // +2 dB of gain bought only +1 LU: the next gain must go twice as far as the remaining error.
    const trials = [
      { gainDb: 10, integratedLufs: -17.5 },
      { gainDb: 12, integratedLufs: -16.5 },
    ];
    expect(nextTrialGain(trials, -16)).toBeCloseTo(13);
  });

  it('interpolates back when the second trial overshot', () => {
    const trials = [
      { gainDb: 10, integratedLufs: -16.6 },
      { gainDb: 12, integratedLufs: -14.8 },
    ];
    expect(nextTrialGain(trials, -16)).toBeCloseTo(12 - 1.2 / 0.9);
  });

  it('never trusts a slope flatter than 0.2 or steeper than 1', () => {
    const flat = [
      { gainDb: 10, integratedLufs: -17 },
      { gainDb: 12, integratedLufs: -17 },
    ];
    expect(nextTrialGain(flat, -16)).toBeCloseTo(12 + 1 / 0.2);
    const steep = [
      { gainDb: 10, integratedLufs: -20 },
      { gainDb: 12, integratedLufs: -17 },
    ];
    expect(nextTrialGain(steep, -16)).toBeCloseTo(13);
  });
});
