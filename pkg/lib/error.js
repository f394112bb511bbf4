/**
 * Every refusal and failure of qstash-cancel. Branch on `code` (stable), never on `message`.
 * The wasm core constructs these as `new QStashCancelError(message, details)`.
 */
export class QStashCancelError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'QStashCancelError';
    Object.assign(this, details);
  }
}
