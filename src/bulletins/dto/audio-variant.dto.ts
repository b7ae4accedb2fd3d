import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class AudioVariantDto {
  @ApiPropertyOptional({ enum: ['rendition', 'original'], default: 'rendition' })
  @IsOptional()
  @IsIn(['rendition', 'original'], { message: 'variant must be rendition or original' })
  variant: 'rendition' | 'original' = 'rendition';
}
