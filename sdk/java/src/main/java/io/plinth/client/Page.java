package io.plinth.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** One page of a query: its records, the cursor of the next page, and the total when counted. */
public record Page(List<JsonNode> items, Optional<String> next, OptionalLong total) {}
