/** Shared input rules, so the same thing is checked the same way everywhere. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MESSAGE = 'must be lowercase letters and digits separated by single dashes';
