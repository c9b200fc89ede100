/** The password rules the set-password step checks before asking GoTrue (which also refuses under 6 or over 72 characters). */
export const NEW_PASSWORD_MIN = 8;
/** bcrypt reads 72 bytes at most; GoTrue refuses longer passwords. */
export const NEW_PASSWORD_MAX = 72;

/** Why a new password (and its repetition) cannot be saved, in words; null when it can. */
export function newPasswordProblem(password: string, repeated: string): string | null {
  if (password.length < NEW_PASSWORD_MIN) return `Choose a password of at least ${NEW_PASSWORD_MIN} characters.`;
  if (new TextEncoder().encode(password).length > NEW_PASSWORD_MAX)
    return `Choose a shorter password: at most ${NEW_PASSWORD_MAX} bytes (about ${NEW_PASSWORD_MAX} letters).`;
  if (password !== repeated) return "The two passwords differ: type the same password in both fields.";
  return null;
}
