package io.plinth.provisioning.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What request parsers' tests check of a refusal. */
public final class Refusals {

  private Refusals() {}

  /** The field errors of the 400 {@code validation_failed} that {@code parse} must throw. */
  public static List<Problem.FieldError> validationErrors(ThrowingCallable parse) {
    Throwable thrown = catchThrowable(parse);
    assertThat(thrown).as("the refusal").isInstanceOf(ProblemException.class);
    Problem problem = ((ProblemException) thrown).problem();
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.code()).isEqualTo("validation_failed");
    return problem.errors();
  }
}
