// A refusal of the command line itself, before the library is asked.

export class Refusal extends Error {
  /** `flag` (may be empty) starts the message, as the library's refusals start with their option. */
  constructor(flag, message) {
    super(flag ? `${flag}: ${message}` : message);
    this.code = 'INVALID_OPTIONS';
  }
}
