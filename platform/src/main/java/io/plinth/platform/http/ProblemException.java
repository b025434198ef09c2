package io.plinth.platform.http;

import java.util.List;

/**
 * Fails a request with a {@link Problem}. Thrown or passed to {@code RoutingContext.fail} anywhere;
 * the router-wide {@link FailureHandler} writes it. Carries no stack trace: it is an answer to a
 * client, not a fault to debug.
 */
public final class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.code() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  public ProblemException(int status, String code, String detail) {
    this(new Problem(status, code, detail));
  }

  /**
   * Throws 400 {@code validation_failed} with {@code errors} when there are any: the end of every
   * request parser, which collects all problems before it answers.
   */
  public static void failIfAny(List<Problem.FieldError> errors, String detail) {
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validationFailed(detail, errors));
    }
  }

  public Problem problem() {
    return problem;
  }
}
