import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { OPERATOR_PROBLEM_KINDS, OperatorProblemKind } from '../operator-problem-kind';

export const OPERATOR_NOTE_MAX = 500;

export class ConfirmPlaybackDto {
  @ApiPropertyOptional({ maxLength: OPERATOR_NOTE_MAX, description: 'What the operator heard, e.g. "nghe rõ ở nhà văn hóa"' })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(OPERATOR_NOTE_MAX, { message: `note must be at most ${OPERATOR_NOTE_MAX} characters` })
  note?: string;
}

export class ReportProblemDto {
  @ApiProperty({ enum: OPERATOR_PROBLEM_KINDS })
  @IsIn(OPERATOR_PROBLEM_KINDS, { message: `kind must be one of ${OPERATOR_PROBLEM_KINDS.join(', ')}` })
  kind: OperatorProblemKind;

  @ApiPropertyOptional({ maxLength: OPERATOR_NOTE_MAX })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(OPERATOR_NOTE_MAX, { message: `note must be at most ${OPERATOR_NOTE_MAX} characters` })
  note?: string;
}
