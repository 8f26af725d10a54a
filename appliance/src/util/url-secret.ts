// A URL may carry a password (mqtt://user:secret@broker, https://user:secret@host). Wherever such text is
// shown or kept (settings answers, the audit log, syslog, events), the password is replaced by "***".
// The authority ends at the first / ? # or space, and its userinfo at the LAST "@" before that (as URL
// parsers read it), so a password holding "@" or ":" is hidden whole. A scheme starts only where no scheme
// character precedes it, so the scan stays linear in the text (no re-trying inside "a.a.a.a…").
const USERINFO = /((?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#:@]*:)[^\s/?#]*@/g;

export function maskUrlPasswords(text: string): string {
  return text.includes('://') ? text.replace(USERINFO, '$1***@') : text;
}
