import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CertificationCommand } from '@ihl/domain';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';
import { writeCertificate } from './certification-command.support';

type Input = Omit<Extract<CertificationCommand, { type: 'WithdrawCertificate' }>, 'type'>;

/** The agency auditor records that the certifying body withdrew a certificate, and why. */
export class WithdrawCertificateCommand {
  constructor(
    readonly projectCode: string,
    readonly certificateId: string,
    readonly input: Input,
    readonly context: RequestContext,
  ) {}
}

@CommandHandler(WithdrawCertificateCommand)
export class WithdrawCertificateHandler implements ICommandHandler<WithdrawCertificateCommand, WriteResult> {
  constructor(@Inject(StreamWriter) private readonly writer: StreamWriter) {}

  execute(c: WithdrawCertificateCommand): Promise<WriteResult> {
    return writeCertificate(this.writer, c.context, c.projectCode, c.certificateId, {
      type: 'WithdrawCertificate',
      ...c.input,
    });
  }
}
