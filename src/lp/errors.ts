/** Non-optimal LP outcomes as typed errors (never numbers). Not `InputError`: callers decide. */
export class LpError extends Error {
  readonly backend: string;
  readonly status: string;
  constructor(backend: string, status: string, message: string) {
    super(`${backend}: ${message} (status: ${status})`);
    this.name = 'LpError';
    this.backend = backend;
    this.status = status;
  }
}

export class LpInfeasibleError extends LpError {
  constructor(backend: string, status: string) {
    super(backend, status, 'the LP is infeasible');
    this.name = 'LpInfeasibleError';
  }
}

export class LpUnboundedError extends LpError {
  constructor(backend: string, status: string) {
    super(backend, status, 'the LP is unbounded');
    this.name = 'LpUnboundedError';
  }
}

/** Time or iteration limit reached before optimality was proved. */
export class LpLimitError extends LpError {
  constructor(backend: string, status: string) {
    super(backend, status, 'a solver limit was reached before optimality');
    this.name = 'LpLimitError';
  }
}

/** Any other failure (load error, numerical trouble, unknown state, missing duals). */
export class LpSolverError extends LpError {
  constructor(backend: string, status: string, message = 'the solver failed') {
    super(backend, status, message);
    this.name = 'LpSolverError';
  }
}
