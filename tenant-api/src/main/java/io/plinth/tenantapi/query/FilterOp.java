package io.plinth.tenantapi.query;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The operators of {@code <field>=<op>.<value>}. */
public enum FilterOp {
  EQ("eq"),
  NEQ("neq"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  LIKE("like"),
  ILIKE("ilike"),
  IN("in"),
  IS("is");

  private final String wire;

  FilterOp(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<FilterOp> fromWire(String wire) {
    return Arrays.stream(values()).filter(op -> op.wire.equals(wire)).findFirst();
  }

  /** {@code eq, neq, …} for error messages. */
  public static String wireNames() {
    return Arrays.stream(values()).map(FilterOp::wire).collect(Collectors.joining(", "));
  }
}
