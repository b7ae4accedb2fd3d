import { toneInvocation } from '../media/media-commands';
import { CHIME_MS } from '../schedules/program';
import { CHIME_NOTES, CHIME_SOURCE_MS, chimeGraph } from './chime-tones';

describe('chime tones', () => {
  it('is one aevalsrc source summing every note from its start, as long as the source length', () => {
    const graph = chimeGraph([{ atMs: 450, frequencyHz: 659.25, decayPerSecond: 3 }], 1000, 8000);
    expect(graph).toBe("aevalsrc='0.25*(if(gte(t\\,0.45)\\,sin(2*PI*659.25*(t-0.45))*exp(-3*(t-0.45))*(1-exp(-300*(t-0.45)))\\,0))':s=8000:d=1");
    expect(chimeGraph().match(/sin\(/g)).toHaveLength(CHIME_NOTES.length);
    expect(chimeGraph()).toMatch(new RegExp(`:d=${CHIME_SOURCE_MS / 1000}$`));
  });

  it('ends before what the session cap counts for it, with every note struck well before the end', () => {
    expect(CHIME_SOURCE_MS).toBeLessThan(CHIME_MS);
    expect(Math.max(...CHIME_NOTES.map((note) => note.atMs))).toBeLessThan(CHIME_SOURCE_MS / 2);
  });

  it('is synthesised losslessly, mono, without metadata', () => {
    expect(toneInvocation('aevalsrc=0', '/tmp/x.wav')).toEqual({
      input: 'aevalsrc=0',
      inputOptions: ['-f', 'lavfi'],
      audioFilters: [],
      outputOptions: ['-map_metadata', '-1', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 'wav'],
      output: '/tmp/x.wav',
    });
  });
});
