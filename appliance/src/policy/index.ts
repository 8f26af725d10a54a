// The policy room's public surface: the settings catalog, policies and their validation, the guards, the
// pure assessment, stored policies (secrets sealed), templates and fleet support. No network code here.
export { AREAS, CATALOG, FAMILIES, NOT_SUPPORTED, RENAMED, RETIRED, catalogView, isSecretSetting, settingById, settingByOid } from './catalog.ts';
export type { Area, Family, Guard, NamedValue, PolicyValue, SettingDef, ValueType, WireType, WireValue } from './catalog.ts';
export { isKeepSecret, validatePolicy } from './policy.ts';
export type { FieldError, KeepSecret, Policy, PolicyDraft, PolicyValidation } from './policy.ts';
export { FACTORY_READ_COMMUNITIES, guardRefusals } from './guards.ts';
export type { CredentialFacts, ManagementFacts } from './guards.ts';
export { assess, deviceStatus, finalize, policyOids, remediationPlan, verifiableSecrets } from './assessment.ts';
export type { AssessmentOutcome, DeviceStatus, Reading, Readings, RemediationStep, SecretCheck, SettingAssessment, SettingOutcome, SettingResult } from './assessment.ts';
export { PolicyRepo, isSealed, migrateSettings } from './policy-repo.ts';
export type { PolicyView, SealedSecret, Sealer, StoredPolicy } from './policy-repo.ts';
export { TEMPLATES } from './templates.ts';
export type { PolicyTemplate } from './templates.ts';
export { fleetSupport } from './support.ts';
