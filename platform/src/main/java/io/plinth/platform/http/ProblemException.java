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
  private final String reason;

  public ProblemException(Problem problem) {
    this(problem, null);
  }

  /**
   * @param reason why, in one word from a fixed set, for metrics (which of the ways to an {@code
   *     invalid_api_key} this was, say); never sent to the client, which must not learn it
   */
  public ProblemException(Problem problem, String reason) {
    super(problem.code() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
    this.reason = reason;
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

  /** The reason given for metrics, or null. */
  public String reason() {
    return reason;
  }
}
