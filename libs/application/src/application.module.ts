import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApproveRestatementHandler } from './activity/approve-restatement.command';
import { CorrectActivityHandler } from './activity/correct-activity.command';
import { DeclineRestatementHandler } from './activity/decline-restatement.command';
import { GetActivityHandler } from './activity/get-activity.query';
import { FigureReader } from './as-of/figure-reader.service';
import { RecordActivityHandler } from './activity/record-activity.command';
import { RecordActivitiesBatchHandler } from './activity/record-activities-batch.command';
import { RejectActivityHandler } from './activity/reject-activity.command';
import { VerifyActivityHandler } from './activity/verify-activity.command';
import { VoidActivityHandler } from './activity/void-activity.command';
import { CorrectExpenditureHandler } from './expenditure/correct-expenditure.command';
import { DeclareExpenditureHandler } from './expenditure/declare-expenditure.command';
import { GetExpenditureHandler } from './expenditure/get-expenditure.query';
import { VerifyExpenditureHandler } from './expenditure/verify-expenditure.command';
import { LinkEquipmentHandler } from './expenditure/link-equipment.command';
import { VoidExpenditureHandler } from './expenditure/void-expenditure.command';
import { AttachEvidenceHandler } from './evidence/attach-evidence.command';
import { GetRecordsEvidenceHandler } from './evidence/get-records-evidence.query';
import { GetAlertsHandler } from './alerts/get-alerts.query';
import { RunChecksHandler } from './alerts/run-checks.command';
import { ErasePersonHandler } from './person/erase-person.command';
import { RecordImportHandler } from './import/record-import.command';
import { GetActivityVolumesHandler } from './volumes/get-activity-volumes.query';
import { GetFigureEventsHandler } from './audit/get-figure-events.query';
import { GetBudgetHandler } from './budget/get-budget.query';
import { GetProgressHandler } from './progress/get-progress.query';
import { GetIatiActivityHandler } from './exports/get-iati-activity.query';
import { GetEsfIndicatorsHandler } from './exports/get-esf-indicators.query';
import { GetProjectHandler } from './project/get-project.query';
import { ListRecordsHandler } from './lists/list-records.query';
import { GetVerificationQueueHandler } from './lists/get-verification-queue.query';
import { GetExpenditureRegisterHandler } from './lists/get-expenditure-register.query';
import { LockPeriodHandler } from './project/lock-period.command';
import { RegisterPartnerHandler } from './project/register-partner.command';
import { RegisterProjectHandler } from './project/register-project.command';
import { ReopenPeriodHandler } from './project/reopen-period.command';
import { SetAllocationHandler } from './project/set-allocation.command';
import { ComposeClaimHandler } from './claim/compose-claim.command';
import { WithdrawClaimHandler } from './claim/withdraw-claim.command';
import { SubmitClaimHandler } from './claim/submit-claim.command';
import { RecordClaimDecisionHandler } from './claim/record-claim-decision.command';
import { RecordReimbursementHandler } from './claim/record-reimbursement.command';
import { GetClaimHandler } from './claim/get-claim.query';
import { ListClaimsHandler } from './claim/list-claims.query';
import { RecordAdvanceHandler } from './advance/record-advance.command';
import { RecordDeliverableHandler } from './deliverable/record-deliverable.command';
import { VerifyDeliverableHandler } from './deliverable/verify-deliverable.command';
import { ClearAdvanceHandler } from './advance/clear-advance.command';
import { ListAdvancesHandler } from './advance/list-advances.query';
import { RecordInspectionHandler } from './inspection/record-inspection.command';
import { RecordFindingHandler } from './inspection/record-finding.command';
import { RespondToFindingHandler } from './inspection/respond-to-finding.command';
import { ResolveFindingHandler } from './inspection/resolve-finding.command';
import { EscalateFindingHandler } from './inspection/escalate-finding.command';
import { GetInspectionHandler } from './inspection/get-inspection.query';
import { ListInspectionsHandler } from './inspection/list-inspections.query';
import { AwardCertificateHandler } from './certification/award-certificate.command';
import { RenewCertificateHandler } from './certification/renew-certificate.command';
import { WithdrawCertificateHandler } from './certification/withdraw-certificate.command';
import { GetCertificateHandler } from './certification/get-certificate.query';
import { ListCertificatesHandler } from './certification/list-certificates.query';
import { RecordSurveyResultsHandler } from './survey/record-survey-results.command';
import { CorrectSurveyResultsHandler } from './survey/correct-survey-results.command';
import { VoidSurveyResultsHandler } from './survey/void-survey-results.command';
import { GetSurveyHandler } from './survey/get-survey.query';
import { ListSurveysHandler } from './survey/list-surveys.query';
import { SetPlannedPlacesHandler } from './good-practice/set-planned-places.command';
import { GetGoodPracticeHandler } from './good-practice/get-good-practice.query';
import { RegisterWorkerHandler } from './workforce/register-worker.command';
import { AssignWorkerHandler } from './workforce/assign-worker.command';
import { RecordWorkerLeftHandler } from './workforce/record-worker-left.command';
import { VacatePositionHandler } from './workforce/vacate-position.command';
import { FillPositionHandler } from './workforce/fill-position.command';
import { EndServiceHandler } from './workforce/end-service.command';
import { GetWorkforceHandler } from './workforce/get-workforce.query';
import { GetCoordinatorReportHandler } from './coordinator/get-coordinator-report.query';
import { ProjectContext } from './shared/project-context';
import { StreamWriter } from './shared/stream-writer';

/** Command and query handlers. The app provides EVENT_STORE, CLOCK, ID_GENERATOR and PERSON_REGISTRY. */
@Module({
  imports: [CqrsModule],
  providers: [
    ProjectContext,
    StreamWriter,
    FigureReader,
    RegisterProjectHandler,
    RegisterPartnerHandler,
    SetAllocationHandler,
    LockPeriodHandler,
    ReopenPeriodHandler,
    GetProjectHandler,
    ListRecordsHandler,
    GetVerificationQueueHandler,
    GetExpenditureRegisterHandler,
    RecordActivityHandler,
    RecordActivitiesBatchHandler,
    CorrectActivityHandler,
    VoidActivityHandler,
    VerifyActivityHandler,
    RejectActivityHandler,
    ApproveRestatementHandler,
    DeclineRestatementHandler,
    GetActivityHandler,
    DeclareExpenditureHandler,
    CorrectExpenditureHandler,
    VoidExpenditureHandler,
    VerifyExpenditureHandler,
    LinkEquipmentHandler,
    GetExpenditureHandler,
    AttachEvidenceHandler,
    GetRecordsEvidenceHandler,
    RunChecksHandler,
    GetAlertsHandler,
    ErasePersonHandler,
    RecordImportHandler,
    GetProgressHandler,
    GetBudgetHandler,
    GetFigureEventsHandler,
    GetActivityVolumesHandler,
    GetIatiActivityHandler,
    GetEsfIndicatorsHandler,
    ComposeClaimHandler,
    WithdrawClaimHandler,
    SubmitClaimHandler,
    RecordClaimDecisionHandler,
    RecordReimbursementHandler,
    GetClaimHandler,
    ListClaimsHandler,
    RecordAdvanceHandler,
    ClearAdvanceHandler,
    ListAdvancesHandler,
    RecordDeliverableHandler,
    VerifyDeliverableHandler,
    RecordInspectionHandler,
    RecordFindingHandler,
    RespondToFindingHandler,
    ResolveFindingHandler,
    EscalateFindingHandler,
    GetInspectionHandler,
    ListInspectionsHandler,
    AwardCertificateHandler,
    RenewCertificateHandler,
    WithdrawCertificateHandler,
    GetCertificateHandler,
    ListCertificatesHandler,
    RecordSurveyResultsHandler,
    CorrectSurveyResultsHandler,
    VoidSurveyResultsHandler,
    GetSurveyHandler,
    ListSurveysHandler,
    SetPlannedPlacesHandler,
    GetGoodPracticeHandler,
    RegisterWorkerHandler,
    AssignWorkerHandler,
    RecordWorkerLeftHandler,
    VacatePositionHandler,
    FillPositionHandler,
    EndServiceHandler,
    GetWorkforceHandler,
    GetCoordinatorReportHandler,
  ],
})
export class ApplicationModule {}
