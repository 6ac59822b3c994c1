import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CertificationCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeCertificate } from './certification-command.support';

type Input = Omit<Extract<CertificationCommand, { type: 'RenewCertificate' }>, 'type'>;

/** The agency auditor records a certificate's renewal: valid to a later day, under a new reference. */
export class RenewCertificateCommand {
  constructor(
    readonly projectCode: string,
    readonly certificateId: string,
    readonly input: Input,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(RenewCertificateCommand)
export class RenewCertificateHandler implements ICommandHandler<RenewCertificateCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: RenewCertificateCommand): Promise<WriteResult> {
    return writeCertificate(this.writer, c.context, c.projectCode, c.certificateId, {
      type: 'RenewCertificate',
      ...c.input,
    });
  }
}
