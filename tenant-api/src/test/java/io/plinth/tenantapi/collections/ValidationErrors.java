package io.plinth.tenantapi.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.plinth.platform.http.Problem;
import io.plinth.platform.http.ProblemException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Runs a parser that must fail and returns its field errors as "path: message" lines. */
final class ValidationErrors {

  private ValidationErrors() {}

  static List<String> of(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ProblemException.class);
    Problem problem = ((ProblemException) thrown).problem();
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.code()).isEqualTo("validation_failed");
    return problem.errors().stream().map(e -> e.field() + ": " + e.message()).toList();
  }
}
