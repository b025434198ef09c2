package io.plinth.client;

import java.util.List;

/** A write refused because its {@code If-Match} version is stale (412 {@code version_mismatch}). */
public final class PlinthConflictException extends PlinthException {

  PlinthConflictException(
      int status, String code, String detail, String requestId, List<FieldError> fieldErrors) {
    super(status, code, detail, requestId, fieldErrors);
  }
}
