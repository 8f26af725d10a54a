// Compliance reports (issue 16 §1): the journal they read, the report, its CSV and PDF forms.
export { ComplianceJournal, JOURNAL_RETENTION_DAYS, type JournalEntry } from './journal.ts';
export { buildComplianceReport, categoryOf, CATEGORIES, type Category, type ComplianceReport } from './compliance-report.ts';
export { ComplianceReports, ReportError, type GroupsPort, type ReportQuery } from './reports.ts';
export { renderCompliancePdf } from './pdf.ts';
export { parsePeriod, PeriodError } from './period.ts';
export { ReportMailer, type ReportEvery } from './report-mailer.ts';
