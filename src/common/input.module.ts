import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { InputGuard } from './input.guard';

/**
 * Refuses unusable input on every route. Global guards run in the order their modules are scanned, so the
 * application imports this module first: its guard runs before the access guard, which audits what it refuses.
 */
@Module({ providers: [{ provide: APP_GUARD, useClass: InputGuard }] })
export class InputModule {}
