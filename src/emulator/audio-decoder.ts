import { AppConfig } from '../config/app-config';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';
import { parseMaxVolumeDb, parseProcessedSeconds } from '../media/ffmpeg-output';
import { inspectionInvocation, mulawInspectionInvocation } from '../media/media-commands';

export interface DecodedAudio {
  seconds: number | null;
  maxVolumeDb: number | null;
}

/** Loa's ffmpeg adapter configured from the FFMPEG_* variables alone: the emulator needs no database or Redis. */
export function emulatorFfmpeg(): FfmpegAdapter {
  const { FFMPEG_PATH, FFPROBE_PATH, FFMPEG_TIMEOUT_SECONDS } = process.env;
  return new FfmpegAdapter(AppConfig.fromEnvironment({ FFMPEG_PATH, FFPROBE_PATH, FFMPEG_TIMEOUT_SECONDS }, []));
}

/** Decodes what an emulated speaker received, as the real device would, to know how long it plays. */
export class AudioDecoder {
  constructor(private readonly ffmpeg: FfmpegAdapter) {}

  /** Raw G.711 µ-law, 8 kHz mono, as posted to an Axis transmit. */
  async mulaw(path: string): Promise<DecodedAudio> {
    return this.measure(await this.ffmpeg.run(mulawInspectionInvocation(path)));
  }

  /** A rendition fetched by a gateway, decoded through the same safe options as uploads. */
  async rendition(path: string, maxSeconds: number): Promise<DecodedAudio> {
    return this.measure(await this.ffmpeg.run(inspectionInvocation(path, maxSeconds)));
  }

  private measure(stderr: string): DecodedAudio {
    return { seconds: parseProcessedSeconds(stderr), maxVolumeDb: parseMaxVolumeDb(stderr) };
  }
}
