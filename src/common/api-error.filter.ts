import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [detail: string]: unknown;
}

/** Turns every error into `{statusCode, error, message}`; unexpected errors are logged, never shown. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.bodyFor(exception);
    if (body.statusCode >= 500 && !(exception instanceof HttpException)) {
      this.logger.error({ err: exception }, 'Unhandled error');
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // A file response may have failed after its headers were prepared (e.g. 416): they describe the file, not this error.
    for (const header of ['Content-Type', 'Content-Disposition', 'ETag', 'Cache-Control', 'Last-Modified']) response.removeHeader(header);
    response.status(body.statusCode).json(body);
  }

  private bodyFor(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      const error = STATUS_CODES[statusCode] ?? 'Error';
      if (typeof payload === 'string') return { statusCode, error, message: payload };
      const { message, error: _ignored, statusCode: _code, ...details } = payload as Record<string, unknown>;
      const text = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      return { ...details, statusCode, error, message: text };
    }
    if (isBodyParserError(exception)) {
      return { statusCode: exception.status, error: STATUS_CODES[exception.status] ?? 'Error', message: exception.message };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'Something went wrong on the server; the error has been logged. Please try again.',
    };
  }
}

function isBodyParserError(error: unknown): error is { status: number; message: string } {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: boolean }).expose === true;
}
