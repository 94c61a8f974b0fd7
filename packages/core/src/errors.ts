/**
 * Every error Fovea throws on bad input is a `FoveaError`, so callers can tell them apart from
 * bugs; each subclass names what was expected and what came.
 */
export class FoveaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit an op (matmul inner dims, broadcasting, conv windows). */
export class ShapeError extends FoveaError {}

/** A tensor of the wrong element type (float indices, non-bool condition). */
export class DTypeError extends FoveaError {}

/** An attribute or argument out of its domain (negative stride, NaN slope, unknown reduction). */
export class ValueError extends FoveaError {}

/** An op name nobody registered. */
export class UnknownOpError extends FoveaError {}

/** A model name nobody registered. */
export class UnknownModelError extends FoveaError {}

/** An op the active backend has no kernel for, and no decomposition to fall back on. */
export class KernelNotFoundError extends FoveaError {
  constructor(
    readonly op: string,
    readonly backend: string,
    readonly registered: readonly string[],
  ) {
    super(
      `op '${op}' has no kernel on backend '${backend}' and no decomposition; ` +
        `backends with a '${op}' kernel: ${registered.length ? registered.join(', ') : 'none'}`,
    );
  }
}

/** Backend registration, selection or initialisation problems. */
export class BackendError extends FoveaError {}

/** Use of a tensor after `dispose()`. */
export class DisposedError extends FoveaError {}

/** Registering a name that is already registered, without asking to replace it. */
export class RegistrationError extends FoveaError {}

/** Autograd misuse: backward of a non-scalar without a gradient, a graph already freed. */
export class GradError extends FoveaError {}
