import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CertificationCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeCertificate } from './certification-command.support';

type Input = Omit<Extract<CertificationCommand, { type: 'AwardCertificate' }>, 'type'>;

/** The agency auditor records a quality certificate awarded to a partner's services (seed 000). */
export class AwardCertificateCommand {
  constructor(
    readonly projectCode: string,
    readonly certificateId: string,
    readonly input: Input,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(AwardCertificateCommand)
export class AwardCertificateHandler implements ICommandHandler<AwardCertificateCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: AwardCertificateCommand): Promise<WriteResult> {
    return writeCertificate(this.writer, c.context, c.projectCode, c.certificateId, {
      type: 'AwardCertificate',
      ...c.input,
    });
  }
}
