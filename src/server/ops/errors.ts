/**
 * A refusal or failure of an operator command (backup, restore, user administration), worded
 * for the person at the terminal. The CLI prints the message and exits 1; tests match the code.
 */
export class OperatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}
