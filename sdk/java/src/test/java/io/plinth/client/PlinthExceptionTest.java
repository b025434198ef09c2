package io.plinth.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlinthExceptionTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void readsTheProblemWithItsFieldErrors() {
    PlinthException error =
        PlinthException.fromResponse(
            400,
            "{\"type\":\"/problems/invalid-query\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"bad parameters\",\"code\":\"invalid_query\",\"requestId\":\"r-1\","
                + "\"errors\":[{\"field\":\"limit\",\"message\":\"at most 1000\"}]}",
            Optional.of("from-header"),
            json);

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.code()).isEqualTo("invalid_query");
    assertThat(error.detail()).isEqualTo("bad parameters");
    assertThat(error.requestId()).isEqualTo("r-1");
    assertThat(error.fieldErrors())
        .containsExactly(new PlinthException.FieldError("limit", "at most 1000"));
    assertThat(error.isConflict()).isFalse();
  }

  @Test
  void aStaleVersionIsATypedConflict() {
    PlinthException error =
        PlinthException.fromResponse(
            412,
            "{\"status\":412,\"code\":\"version_mismatch\",\"detail\":\"stale\"}",
            Optional.of("r-2"),
            json);

    assertThat(error).isInstanceOf(PlinthConflictException.class);
    assertThat(error.isConflict()).isTrue();
    assertThat(error.requestId()).as("from X-Request-Id").isEqualTo("r-2");
  }

  @Test
  void aBodyThatIsNotAProblemStillGivesStatusAndCode() {
    PlinthException error =
        PlinthException.fromResponse(502, "<html>Bad gateway</html>", Optional.empty(), json);

    assertThat(error.status()).isEqualTo(502);
    assertThat(error.code()).isEqualTo("http_502");
    assertThat(error.fieldErrors()).isEmpty();
  }
}
