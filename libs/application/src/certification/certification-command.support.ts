import {
  DomainNotFoundError,
  certificateStreamId,
  decideCertification,
  foldCertificate,
  type CertificateState,
  type CertificationCommand,
  type CertificationEvent,
} from '@ihl/domain';
import type { Actor, RequestContext } from '../shared/request-context';
import type { StreamWriter } from '../shared/stream-writer';
import type { WriteResult } from '../shared/write-result';

/** Another project's certificate, or for a partner another partner's, is "not found" before anything else. */
export function certificateScope(actor: Actor, projectCode: string): (state: CertificateState) => void {
  return (state) => {
    if (!state) return;
    const foreign =
      state.projectCode !== projectCode || (actor.role === 'partner-submitter' && actor.partnerId !== state.partnerId);
    if (foreign) throw new DomainNotFoundError('no such certificate');
  };
}

/** Every certificate use case: its own stream, decided against the project's partners and today. */
export function writeCertificate(
  writer: StreamWriter,
  ctx: RequestContext,
  projectCode: string,
  certificateId: string,
  command: CertificationCommand,
): Promise<WriteResult> {
  return writer.writeInProject<CertificateState, CertificationEvent>(ctx, projectCode, ({ project, today }) => ({
    streamId: certificateStreamId(certificateId),
    fold: foldCertificate,
    noopAnswer: command.type === 'AwardCertificate' ? 'first' : 'last',
    guard: certificateScope(ctx.actor, projectCode),
    decide: (state) =>
      decideCertification(state, command, ctx.actor, { today: today(), partnerIds: [...project.partners.keys()] }),
  }));
}
