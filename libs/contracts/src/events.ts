import { HouseholdRegistered, HouseholdUpdated } from './gen/shouwang/identification/v1/household_events';
import {
  CaseTransitioned,
  HouseholdExited,
  HouseholdIdentified,
  ViolationCaseDecided,
  ViolationCaseOpened,
} from './gen/shouwang/identification/v1/workflow_events';
import { PlanEvent, TaskEvent } from './gen/shouwang/assistance/v1/assistance_events';
import {
  DibaoRecord,
  DisabilityCertificateRecord,
  EmploymentRecord,
  MedicalExpenseRecord,
  RealEstatePurchaseRecord,
  SchoolEnrolmentRecord,
  ShockRecord,
  VehicleRegistrationRecord,
} from './gen/shouwang/feed/v1/feed_records';
import {
  CommitmentViolationSignalled,
  WarningRaised,
  WarningResolved,
  WarningStatusChanged,
  WarningUpdated,
} from './gen/shouwang/monitoring/v1/monitoring_events';

/** Encode/decode functions that ts-proto generates for every message. */
export interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

/** A kind of event: its type name, the topic it travels on, its payload schema and version. */
export interface EventDefinition<T> {
  readonly type: string;
  readonly topic: string;
  readonly schemaVersion: number;
  readonly codec: Codec<T>;
}

function defineEvent<T>(type: string, topic: string, codec: Codec<T>, schemaVersion = 1): EventDefinition<T> {
  return { type, topic, codec, schemaVersion };
}

/** Topics, one per aggregate: shouwang.<service>.<aggregate>.v1; dead letters are <topic>.dlq. */
export const topics = {
  identificationHousehold: 'shouwang.identification.household.v1',
  identificationCase: 'shouwang.identification.case.v1',
  identificationViolation: 'shouwang.identification.violation.v1',
  monitoringWarning: 'shouwang.monitoring.warning.v1',
  assistancePlan: 'shouwang.assistance.plan.v1',
  assistanceTask: 'shouwang.assistance.task.v1',
  monitoringCommitmentViolation: 'shouwang.monitoring.commitment_violation.v1',
  // Department feeds: shouwang.feed.<department>.v1 (FEED_DEPARTMENTS below).
  feedMedicalInsurance: 'shouwang.feed.medical_insurance.v1',
  feedEmergencyManagement: 'shouwang.feed.emergency_management.v1',
  feedDisabledPersonsFederation: 'shouwang.feed.disabled_persons_federation.v1',
  feedEducation: 'shouwang.feed.education.v1',
  feedCivilAffairs: 'shouwang.feed.civil_affairs.v1',
  feedHumanResources: 'shouwang.feed.human_resources.v1',
  feedPublicSecurity: 'shouwang.feed.public_security.v1',
  feedNaturalResources: 'shouwang.feed.natural_resources.v1',
} as const;

export const dlqTopic = (topic: string): string => `${topic}.dlq`;

/** Every event type the platform publishes. */
export const events = {
  householdRegistered: defineEvent(
    'shouwang.identification.household.registered',
    topics.identificationHousehold,
    HouseholdRegistered,
  ),
  householdUpdated: defineEvent(
    'shouwang.identification.household.updated',
    topics.identificationHousehold,
    HouseholdUpdated,
  ),
  householdIdentified: defineEvent(
    'shouwang.identification.household.identified',
    topics.identificationHousehold,
    HouseholdIdentified,
  ),
  householdExited: defineEvent(
    'shouwang.identification.household.exited',
    topics.identificationHousehold,
    HouseholdExited,
  ),
  caseTransitioned: defineEvent(
    'shouwang.identification.case.transitioned',
    topics.identificationCase,
    CaseTransitioned,
  ),
  violationCaseOpened: defineEvent(
    'shouwang.identification.violation.opened',
    topics.identificationViolation,
    ViolationCaseOpened,
  ),
  violationCaseDecided: defineEvent(
    'shouwang.identification.violation.decided',
    topics.identificationViolation,
    ViolationCaseDecided,
  ),
} as const;

/** Departments that publish a feed (the list lives with the roles in @shouwang/domain). */
import type { FeedDepartment } from '@shouwang/domain';
export { FEED_DEPARTMENTS, type FeedDepartment } from '@shouwang/domain';

export const feedTopic = (department: FeedDepartment): string => `shouwang.feed.${department}.v1`;

/** The one record type of each department's feed. */
export const feedEvents = {
  medical_insurance: defineEvent(
    'shouwang.feed.medical_insurance.medical_expense',
    topics.feedMedicalInsurance,
    MedicalExpenseRecord,
  ),
  emergency_management: defineEvent(
    'shouwang.feed.emergency_management.shock',
    topics.feedEmergencyManagement,
    ShockRecord,
  ),
  disabled_persons_federation: defineEvent(
    'shouwang.feed.disabled_persons_federation.disability_certificate',
    topics.feedDisabledPersonsFederation,
    DisabilityCertificateRecord,
  ),
  education: defineEvent('shouwang.feed.education.school_enrolment', topics.feedEducation, SchoolEnrolmentRecord),
  civil_affairs: defineEvent('shouwang.feed.civil_affairs.dibao', topics.feedCivilAffairs, DibaoRecord),
  human_resources: defineEvent('shouwang.feed.human_resources.employment', topics.feedHumanResources, EmploymentRecord),
  public_security: defineEvent(
    'shouwang.feed.public_security.vehicle_registration',
    topics.feedPublicSecurity,
    VehicleRegistrationRecord,
  ),
  natural_resources: defineEvent(
    'shouwang.feed.natural_resources.real_estate_purchase',
    topics.feedNaturalResources,
    RealEstatePurchaseRecord,
  ),
} as const;

/** Events of the monitoring service. */
export const monitoringEvents = {
  warningRaised: defineEvent('shouwang.monitoring.warning.raised', topics.monitoringWarning, WarningRaised),
  warningUpdated: defineEvent('shouwang.monitoring.warning.updated', topics.monitoringWarning, WarningUpdated),
  warningStatusChanged: defineEvent(
    'shouwang.monitoring.warning.status_changed',
    topics.monitoringWarning,
    WarningStatusChanged,
  ),
  warningResolved: defineEvent('shouwang.monitoring.warning.resolved', topics.monitoringWarning, WarningResolved),
  commitmentViolationSignalled: defineEvent(
    'shouwang.monitoring.commitment_violation.signalled',
    topics.monitoringCommitmentViolation,
    CommitmentViolationSignalled,
  ),
} as const;

/** Events of the assistance service: one payload type per aggregate, one event type per change. */
const planEvent = (change: string) =>
  defineEvent(`shouwang.assistance.plan.${change}`, topics.assistancePlan, PlanEvent);
const taskEvent = (change: string) =>
  defineEvent(`shouwang.assistance.task.${change}`, topics.assistanceTask, TaskEvent);
export const assistanceEvents = {
  planCreated: planEvent('created'),
  planChanged: planEvent('changed'),
  planClosed: planEvent('closed'),
  taskOpened: taskEvent('opened'),
  taskAccepted: taskEvent('accepted'),
  taskDelivered: taskEvent('delivered'),
  taskDeclined: taskEvent('declined'),
  taskClosed: taskEvent('closed'),
} as const;
