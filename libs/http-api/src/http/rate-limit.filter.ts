import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { RateLimitExceededException } from './rate-limit';

/**
 * Answers a RateLimitExceededException with its own body (`error: 'Too Many Requests'`) and
 * `Retry-After`. Register it after ProblemFilter (`app.useGlobalFilters(new ProblemFilter(), new
 * RateLimitExceededFilter())`): Nest tries the last registered global filter first.
 */
@Catch(RateLimitExceededException)
export class RateLimitExceededFilter implements ExceptionFilter {
  catch(exception: RateLimitExceededException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    res.status(429).json(exception.getResponse());
  }
}
