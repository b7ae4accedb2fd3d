/** Content-Type for an original upload, from the demuxer ffprobe recognised it with. */
export function mediaTypeOfOriginal(formatName: string): string {
  const first = formatName.split(',')[0];
  const types: Record<string, string> = {
    mp3: 'audio/mpeg',
    wav: 'audio/wav',
    w64: 'audio/wav',
    ogg: 'audio/ogg',
    matroska: 'audio/webm',
    mov: 'audio/mp4',
    aac: 'audio/aac',
    flac: 'audio/flac',
    amr: 'audio/amr',
    amrnb: 'audio/amr',
    amrwb: 'audio/amr-wb',
    asf: 'audio/x-ms-wma',
    aiff: 'audio/aiff',
    caf: 'audio/x-caf',
    avi: 'video/x-msvideo',
    mpeg: 'video/mpeg',
    mpegts: 'video/mp2t',
    wv: 'audio/wavpack',
  };
  return types[first] ?? 'application/octet-stream';
}
