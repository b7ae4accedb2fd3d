import { BadRequestException, HttpException, PayloadTooLargeException, RequestTimeoutException, UnsupportedMediaTypeException } from '@nestjs/common';
import Busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { controlCharacterProblem, escapeForbiddenCharacters } from '../../common/forbidden-characters';

export interface ReceivedUpload {
  /** Where the file was written; the caller owns it and must adopt or discard it. */
  tempPath: string;
  sha256: string;
  bytes: number;
  /** The name the client gave, for display only: never used to build a path or a command. */
  clientFilename: string;
  fields: Record<string, string>;
}

export interface UploadLimits {
  maxFileBytes: number;
  /** How long the client may send nothing before the upload is refused with 408. */
  idleTimeoutMs: number;
  fileField: string;
  textFields: readonly string[];
}

/** Room for the multipart boundaries and text fields around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const MAX_FIELD_BYTES = 8 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function tooLarge(limits: UploadLimits, request: Request): PayloadTooLargeException {
  // Stop reading the rest of a body we will never use: the connection closes after the answer.
  request.res?.setHeader('Connection', 'close');
  return new PayloadTooLargeException(`The file is larger than the ${megabytes(limits.maxFileBytes)} limit`);
}

function stalled(limits: UploadLimits): RequestTimeoutException {
  return new RequestTimeoutException(
    `Nothing arrived for ${Math.round(limits.idleTimeoutMs / 1000)} s, so the upload was stopped. Check the network connection and upload the file again`,
  );
}

/**
 * Streams a multipart upload's single file to `tempPath` while hashing it, and collects the text fields.
 * The file is never held in memory; an oversized upload is refused as soon as the limit is crossed, and one that
 * stops making progress as soon as it has sent nothing for `idleTimeoutMs`.
 */
export function receiveUpload(request: Request, tempPath: string, limits: UploadLimits): Promise<ReceivedUpload> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(new UnsupportedMediaTypeException(`Send the bulletin as multipart/form-data with the audio in a field named "${limits.fileField}"`));
  }
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > limits.maxFileBytes + MULTIPART_OVERHEAD_BYTES) {
    return Promise.reject(tooLarge(limits, request));
  }

  return new Promise<ReceivedUpload>((resolve, reject) => {
    let settled = false;
    let fileWrite: Promise<{ sha256: string; bytes: number }> | null = null;
    let clientFilename = '';
    const fields: Record<string, string> = {};

    let busboy: Busboy.Busboy;
    try {
      busboy = Busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: limits.maxFileBytes, files: 1, fields: limits.textFields.length, fieldSize: MAX_FIELD_BYTES, parts: limits.textFields.length + 1 },
      });
    } catch (error) {
      reject(new BadRequestException(`The upload is not valid multipart/form-data: ${(error as Error).message}`));
      return;
    }

    const idle = setTimeout(() => {
      fail(stalled(limits));
      // No more bytes are awaited: end a file part in progress, or its write never settles and its temp file stays.
      busboy.destroy();
    }, limits.idleTimeoutMs);
    const progress = () => idle.refresh();
    const stopWatching = () => {
      clearTimeout(idle);
      request.off('data', progress);
    };

    const fail = (error: HttpException) => {
      if (settled) return;
      settled = true;
      stopWatching();
      request.unpipe(busboy);
      // The rest of the body will never be read: close after the answer instead of leaving the upload hanging.
      if (!request.complete) request.res?.setHeader('Connection', 'close');
      // Let a file write in progress end before the caller deletes its file.
      void (fileWrite ?? Promise.resolve()).catch(() => undefined).finally(() => reject(error));
    };

    busboy.on('file', (name, stream, info) => {
      if (name !== limits.fileField) {
        stream.resume();
        fail(new BadRequestException(`Unexpected file field "${escapeForbiddenCharacters(name)}"; put the audio in "${limits.fileField}"`));
        return;
      }
      clientFilename = info.filename ?? '';
      const hash = createHash('sha256');
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytes += chunk.length;
          callback(null, chunk);
        },
      });
      stream.on('limit', () => {
        stream.unpipe(meter);
        meter.destroy();
        stream.resume();
        fail(tooLarge(limits, request));
      });
      fileWrite = pipeline(stream, meter, createWriteStream(tempPath, { flags: 'wx' })).then(() => ({
        sha256: hash.digest('hex'),
        bytes,
      }));
      fileWrite.catch(() => undefined);
    });

    busboy.on('field', (name, value, info) => {
      const controlCharacter = controlCharacterProblem(name, name) ?? controlCharacterProblem(name, value);
      if (controlCharacter) {
        fail(new BadRequestException(controlCharacter));
      } else if (!limits.textFields.includes(name)) {
        fail(new BadRequestException(`Unexpected field "${name}"; allowed fields are ${[limits.fileField, ...limits.textFields].join(', ')}`));
      } else if (info.valueTruncated) {
        fail(new BadRequestException(`The field "${name}" is longer than ${MAX_FIELD_BYTES} bytes`));
      } else {
        fields[name] = value;
      }
    });

    const tooMany = () => fail(new BadRequestException(`Send one file in "${limits.fileField}" and only the fields ${limits.textFields.join(', ')}`));
    busboy.on('filesLimit', tooMany);
    busboy.on('fieldsLimit', tooMany);
    busboy.on('partsLimit', tooMany);
    busboy.on('error', (error: Error) => fail(new BadRequestException(`The upload is not valid multipart/form-data: ${error.message}`)));
    request.on('aborted', () => {
      fail(new BadRequestException('The upload was interrupted before it finished'));
      // No more bytes will come: end a file part in progress, or its write never settles and its temp file stays.
      busboy.destroy();
    });

    busboy.on('close', () => {
      if (settled) return;
      if (!fileWrite) {
        fail(new BadRequestException(`No file was sent; put the audio in a field named "${limits.fileField}"`));
        return;
      }
      fileWrite.then(
        ({ sha256, bytes }) => {
          if (settled) return;
          settled = true;
          stopWatching();
          resolve({ tempPath, sha256, bytes, clientFilename, fields });
        },
        (error: Error) => fail(new BadRequestException(`The upload could not be received: ${error.message}`)),
      );
    });

    request.on('data', progress);
    request.pipe(busboy);
  });
}
