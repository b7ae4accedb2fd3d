import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeAudio, speechLike } from './audio-fixtures';

/** Files that are not what an upload claims to be, or audio that must not go on air. Each maker returns a path. */

export const MP3_128K = ['-c:a', 'libmp3lame', '-b:a', '128k'];

export function png(dir: string): Promise<string> {
  return makeAudio(dir, 'image.png', { source: 'testsrc=size=64x64:duration=1', output: ['-frames:v', '1'] });
}

export async function htmlPage(dir: string): Promise<string> {
  const path = join(dir, 'page.html');
  await writeFile(path, '<!DOCTYPE html>\n<html lang="vi"><head><title>Thông báo</title></head><body><h1>Thông báo</h1></body></html>\n');
  return path;
}

export async function elfBinary(dir: string): Promise<string> {
  const path = join(dir, 'true.elf');
  await copyFile('/bin/true', path);
  return path;
}

export async function emptyFile(dir: string): Promise<string> {
  const path = join(dir, 'empty.mp3');
  await writeFile(path, Buffer.alloc(0));
  return path;
}

/** A 20 s MP3 cut after 100 kB: its header still announces 20 s. */
export async function truncatedMp3(dir: string): Promise<string> {
  const whole = await makeAudio(dir, 'whole-20s.mp3', { source: speechLike(20, 901), output: MP3_128K });
  const path = join(dir, 'truncated.mp3');
  await writeFile(path, (await readFile(whole)).subarray(0, 100_000));
  return path;
}

/** A 3 s WAV whose RIFF and data chunk sizes claim 1 MB more than the file holds. */
export async function lyingWav(dir: string): Promise<string> {
  const honest = await makeAudio(dir, 'honest.wav', { source: speechLike(3, 902), output: ['-c:a', 'pcm_s16le'] });
  const bytes = await readFile(honest);
  const extra = 1024 * 1024;
  let offset = 12;
  while (bytes.toString('ascii', offset, offset + 4) !== 'data') offset += 8 + bytes.readUInt32LE(offset + 4);
  bytes.writeUInt32LE(bytes.readUInt32LE(offset + 4) + extra, offset + 4);
  bytes.writeUInt32LE(bytes.readUInt32LE(4) + extra, 4);
  const path = join(dir, 'lying.wav');
  await writeFile(path, bytes);
  return path;
}

/**
 * A WAV as a tagging tool writes it: a 6,000-byte LIST chunk between fmt and data, pushing the data chunk past the
 * first 4 KB. Its data chunk declares 600 s of audio; the file holds 5 s.
 */
export async function wavWithLongListChunk(dir: string): Promise<string> {
  const honest = await readFile(
    await makeAudio(dir, 'five-seconds.wav', {
      source: speechLike(5, 903),
      output: ['-ac', '1', '-c:a', 'pcm_s16le', '-map_metadata', '-1', '-fflags', '+bitexact'],
    }),
  );
  const chunks = new Map<string, Buffer>();
  for (let offset = 12; offset + 8 <= honest.length;) {
    const size = honest.readUInt32LE(offset + 4);
    chunks.set(honest.toString('ascii', offset, offset + 4), honest.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  const fmt = chunks.get('fmt ')!;
  const audio = chunks.get('data')!;
  const chunk = (id: string, declaredSize: number, body: Buffer) => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'ascii');
    header.writeUInt32LE(declaredSize, 4);
    return Buffer.concat([header, body]);
  };
  const list = Buffer.concat([Buffer.from('INFO'), Buffer.alloc(5996, 0x20)]);
  const declaredData = 600 * fmt.readUInt32LE(8); // 600 s at the format's byte rate
  const riff = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt.length, fmt), chunk('LIST', list.length, list), chunk('data', declaredData, audio)]);
  const path = join(dir, 'list-chunk.wav');
  await writeFile(path, chunk('RIFF', riff.length - audio.length + declaredData, riff));
  return path;
}

export async function hlsPlaylist(dir: string, port: number): Promise<string> {
  const path = join(dir, 'playlist.m3u8');
  await writeFile(
    path,
    [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:10',
      '#EXTINF:10.0,',
      `http://127.0.0.1:${port}/segment0.ts`,
      '#EXTINF:10.0,',
      `tcp://127.0.0.1:${port}`,
      '#EXT-X-ENDLIST',
      '',
    ].join('\n'),
  );
  return path;
}

export async function ffconcatScript(dir: string, port: number): Promise<string> {
  const path = join(dir, 'list.ffconcat');
  await writeFile(path, ['ffconcat version 1.0', `file 'http://127.0.0.1:${port}/part1.mp3'`, `file 'tcp://127.0.0.1:${port}'`, ''].join('\n'));
  return path;
}

/** The concat protocol's URL syntax as the file's content, in case anything ever passes content on as a URL. */
export async function concatProtocolPayload(dir: string, port: number): Promise<string> {
  const path = join(dir, 'concat.mp3');
  await writeFile(path, `concat:http://127.0.0.1:${port}/a.mp3|tcp://127.0.0.1:${port}\n`);
  return path;
}

/** Two hours of silence in Opus/Ogg (60 ms frames keep the encode to seconds); the container declares 7200 s. */
export function twoHourSilentOpus(dir: string): Promise<string> {
  return makeAudio(dir, 'two-hours.ogg', {
    source: 'anullsrc=r=48000:cl=mono',
    output: ['-t', '7200', '-c:a', 'libopus', '-b:a', '6k', '-frame_duration', '60', '-compression_level', '0'],
  });
}

/** A 5 s phone-like video: small test picture plus either silence or a tone as its only audio. */
export function video(dir: string, audio: 'silent' | 'tone'): Promise<string> {
  const sound = audio === 'silent' ? 'anullsrc=r=44100:cl=mono' : 'sine=frequency=440:sample_rate=44100';
  return makeAudio(dir, `video-${audio}.mp4`, {
    source: `testsrc=size=160x120:rate=10[out0];${sound}[out1]`,
    output: ['-t', '5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k'],
  });
}
