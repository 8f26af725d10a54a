// Groups and autogroups (issue 15): filters, membership, group policies and the remediation triggers A–D.
// A domain room: no network code; the API and the Instant-On wiring use what is exported here.
export { Autogroups, GroupError, type GroupPolicy, type MembershipEvent, type MembershipCause, type GroupEvent, type FoundJoin } from './autogroups.ts';
export { RemediationTriggers, type TriggerSettings, type InstantOnPlan, type TaskPort, type AutogroupTrigger } from './triggers.ts';
export { assessGroup } from './group-assessment.ts';
export { GroupInputSchema, issuesOf, GROUP_LIMITS, type GroupRecord, type GroupInput, type GroupKind } from './group.ts';
export { FilterSchema, parseFilter, compileFilter, FILTER_FIELDS, FILTER_OPS, FILTER_LIMITS, type FilterNode, type Condition } from './filter.ts';
export { deviceFacts, howFound, type DeviceFacts, type HowFound } from './facts.ts';
export { MembershipIndex } from './membership.ts';
