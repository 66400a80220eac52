const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]+/g;

/** Emails typed into the chat stay in Cloop: model and embedding providers see a placeholder. */
export function withoutEmails(text: string): string {
  return text.replace(EMAIL, '[email]');
}
