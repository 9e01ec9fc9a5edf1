// The one error `parseFilter` throws: a message a person can act on (what was expected, what was
// found) that ends with `at position N`, and that position as a number for the API's error details.

export class FilterSyntaxError extends Error {
  /** 0-based UTF-16 offset into the filter text where the problem is. */
  readonly position: number;
  /** The message without its trailing ` at position N`. */
  readonly reason: string;

  constructor(reason: string, position: number) {
    super(`${reason} at position ${position}`);
    this.name = 'FilterSyntaxError';
    this.reason = reason;
    this.position = position;
  }
}
