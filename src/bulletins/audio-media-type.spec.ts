import { ACCEPTED_DEMUXERS } from '../media/media-commands';
import { mediaTypeOfOriginal } from './audio-media-type';

describe('mediaTypeOfOriginal', () => {
  it.each([
    ['mp3', 'audio/mpeg'],
    ['wav', 'audio/wav'],
    ['w64', 'audio/wav'],
    ['ogg', 'audio/ogg'],
    ['flac', 'audio/flac'],
    ['aac', 'audio/aac'],
    ['amr', 'audio/amr'],
    ['amrnb', 'audio/amr'],
    ['amrwb', 'audio/amr-wb'],
    ['asf', 'audio/x-ms-wma'],
    ['aiff', 'audio/aiff'],
    ['caf', 'audio/x-caf'],
    ['wv', 'audio/wavpack'],
    ['avi', 'video/x-msvideo'],
    ['mpeg', 'video/mpeg'],
    ['mpegts', 'video/mp2t'],
  ])('serves a %s original as %s', (formatName, mediaType) => {
    expect(mediaTypeOfOriginal(formatName)).toBe(mediaType);
  });

  it('reads the first name of the list ffprobe gives for a phone recording (M4A, MP4, 3GP)', () => {
    expect(mediaTypeOfOriginal('mov,mp4,m4a,3gp,3g2,mj2')).toBe('audio/mp4');
  });

  it('serves a WebM/Matroska recording as WebM', () => {
    expect(mediaTypeOfOriginal('matroska,webm')).toBe('audio/webm');
  });

  it('has a media type for every demuxer an upload may use', () => {
    for (const demuxer of ACCEPTED_DEMUXERS) expect([demuxer, mediaTypeOfOriginal(demuxer)]).not.toEqual([demuxer, 'application/octet-stream']);
  });

  it.each(['hls', 'unknown', ''])('falls back to a download for %p', (formatName) => {
    expect(mediaTypeOfOriginal(formatName)).toBe('application/octet-stream');
  });

  it('does not match a type by a later name of the list', () => {
    expect(mediaTypeOfOriginal('image2,mp3')).toBe('application/octet-stream');
  });
});
