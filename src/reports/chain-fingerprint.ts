/** The airtime chain head as an official reads it aloud or compares by eye: its first 16 hex digits in groups of 4. */
export function chainFingerprint(headHash: string | null | undefined): string {
  if (!headHash) return '—';
  return (headHash.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}
