import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The chime's rendition for one recipe (its notes, the loudness target and the rendition format): rendered once
 * by whichever process needed it first, then found here by every other process.
 */
@Entity({ name: 'chime_renditions' })
export class ChimeRenditionRecord {
  /** SHA-256 of the recipe: another target or format is another chime. */
  @PrimaryColumn({ type: 'text' })
  recipe: string;

  /** The rendition in the audio store (`renditions/<sha256>.mp3`), like a bulletin's. */
  @Column({ type: 'text' })
  sha256: string;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'integrated_lufs', type: 'real' })
  integratedLufs: number;

  @Column({ name: 'true_peak_dbtp', type: 'real' })
  truePeakDbtp: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
