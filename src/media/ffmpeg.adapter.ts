import { Injectable, Logger } from '@nestjs/common';
import ffmpeg from 'fluent-ffmpeg';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppConfig } from '../config/app-config';
import { FfmpegInvocation, probeOptions } from './media-commands';
import { RawProbe } from './ffmpeg-output';

const execFileAsync = promisify(execFile);

export class FfmpegFailure extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** The one place Loa runs ffmpeg and ffprobe. Command lines come from media-commands.ts. */
@Injectable()
export class FfmpegAdapter {
  private readonly logger = new Logger(FfmpegAdapter.name);

  constructor(private readonly config: AppConfig) {}

  probe(path: string): Promise<RawProbe> {
    return new Promise((resolve, reject) => {
      const command = ffmpeg(path).setFfprobePath(this.config.ffmpeg.ffprobePath);
      command.ffprobe(probeOptions(), (error, data) => {
        if (error) reject(new FfmpegFailure('ffprobe could not read the file', String(error.message)));
        else resolve(data as RawProbe);
      });
    });
  }

  /** Runs one invocation; resolves with ffmpeg's stderr, where filters print their measurements. */
  run(invocation: FfmpegInvocation, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const command = ffmpeg({ timeout: this.config.ffmpeg.timeoutSeconds, stdoutLines: 0 })
        .setFfmpegPath(this.config.ffmpeg.ffmpegPath)
        .input(invocation.input)
        .inputOptions(invocation.inputOptions)
        .outputOptions(['-nostdin', '-hide_banner', ...invocation.outputOptions])
        .output(invocation.output ?? '-');
      if (invocation.audioFilters.length > 0) command.audioFilters(invocation.audioFilters);
      const onAbort = () => command.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      command
        .on('start', (line: string) => this.logger.debug({ command: line }, 'ffmpeg started'))
        .on('end', (_stdout: string | null, stderr: string | null) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(stderr ?? '');
        })
        .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
          signal?.removeEventListener('abort', onAbort);
          reject(new FfmpegFailure(`ffmpeg failed: ${error.message.split('\n')[0]}`, stderr ?? ''));
        })
        .run();
    });
  }

  /** First line of `ffmpeg -version`, for the health check. */
  async version(): Promise<string> {
    const { stdout } = await execFileAsync(this.config.ffmpeg.ffmpegPath, ['-version'], { timeout: 5000 });
    return stdout.split('\n')[0];
  }
}
