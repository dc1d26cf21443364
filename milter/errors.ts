/**
 * The one error type of the milter wire layer.
 *
 * A `MilterProtocolError` means the peer broke the protocol: the two ends are out of step and
 * cannot be brought back, so the session closes that connection (and only that one). It carries
 * the stage (the command or reply being decoded, or `frame` for the length prefix) and a short,
 * fixed reason. It never carries packet contents: those may hold personal data.
 */
export class MilterProtocolError extends Error {
  override readonly name = 'MilterProtocolError';

  constructor(
    /** Where it happened: a command or reply name such as `header`, or `frame`. */
    readonly stage: string,
    /** What was wrong, in a few words, e.g. `missing NUL terminator`. */
    readonly reason: string,
  ) {
    super(`milter: ${stage}: ${reason}`);
  }
}
